import GatehouseCore

/// One held call waiting for an operator.
public struct PendingItem: Hashable, Sendable {
    public var key: CallKey
    public var approval: PendingApproval
    public var entry: CallEntry

    public init(gateway: GatewayID, approval: PendingApproval) {
        key = CallKey(gateway: gateway, id: approval.id)
        self.approval = approval
        entry = CallEntry(gateway: gateway, record: approval.call)
    }

    /// The hash a decision must carry so it applies only to the arguments the operator saw.
    public var argsHash: String { approval.call.argsHash }
}
