/// A command sent and not yet answered: what to say when the answer comes.
public struct InFlightCommand: Hashable, Sendable {
    public var gateway: GatewayID
    public var request: ControlRequest
    /// "approve place_order 3fa9c2 on exchange"
    public var label: String
    /// Part of an approve-all or deny-all: answers are summed up, not reported one by one.
    public var batch: Int?
}

/// An approve-all or deny-all under way: how many answers are in.
public struct CommandBatch: Hashable, Sendable {
    public var label: String
    public var total: Int
    public var succeeded = 0
    public var refused: [String] = []

    public var isComplete: Bool { succeeded + refused.count >= total }

    /// "approve all: 23 of 24 done; 1 refused: call ab12 was already denied by bob"
    public var summary: String {
        var s = "\(label): \(succeeded) of \(total) done"
        if !refused.isEmpty { s += "; \(refused.count) refused: " + refused.prefix(2).joined(separator: "; ") }
        return s
    }
}
