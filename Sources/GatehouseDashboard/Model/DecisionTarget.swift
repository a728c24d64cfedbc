import GatehouseCore

/// A held call a decision is about, captured when the operator pressed the key: the
/// command carries this id and argument hash even if the screen changes meanwhile.
public struct DecisionTarget: Hashable, Sendable {
    public var key: CallKey
    public var argsHash: String
    public var tool: String
    public var gatewayName: String
    /// The arguments as shown (compact JSON, cut).
    public var preview: String = ""

    /// `place_order 3fa9c2` — how messages name the call.
    public var label: String { "\(tool) \(key.id.prefix(6))" }
}

/// A tool an override is about.
public struct ToolTarget: Hashable, Sendable {
    public var key: ToolKey
    public var gatewayName: String
    public var risk: RiskClass?
}
