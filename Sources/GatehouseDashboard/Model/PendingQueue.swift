import GatehouseCore

/// Held calls of every gateway, oldest first (the first to time out is usually on top).
/// Calls are added and removed by key; nothing here ever reorders what is already listed.
public struct PendingQueue: Sendable {
    public private(set) var items: [PendingItem] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }

    public func item(_ key: CallKey) -> PendingItem? { items.first { $0.key == key } }

    public mutating func upsert(_ item: PendingItem) {
        if let i = items.firstIndex(where: { $0.key == item.key }) {
            items[i] = item
            return
        }
        // After every call held at the same time or earlier: arrival order breaks ties.
        let at = items.lastIndex { $0.approval.heldAt <= item.approval.heldAt }.map { $0 + 1 } ?? 0
        items.insert(item, at: at)
    }

    @discardableResult
    public mutating func remove(_ key: CallKey) -> PendingItem? {
        guard let i = items.firstIndex(where: { $0.key == key }) else { return nil }
        return items.remove(at: i)
    }

    /// Keeps a held call's record current as `call` events arrive.
    public mutating func update(_ entry: CallEntry) {
        guard let i = items.firstIndex(where: { $0.key == entry.key }) else { return }
        items[i].approval.call = entry.record
        items[i].entry = entry
    }

    /// Replaces one gateway's held calls (from a snapshot); returns the ones that left.
    @discardableResult
    public mutating func replace(gateway: GatewayID, with approvals: [PendingApproval]) -> [PendingItem] {
        let fresh = Set(approvals.map { CallKey(gateway: gateway, id: $0.id) })
        let gone = items.filter { $0.key.gateway == gateway && !fresh.contains($0.key) }
        items.removeAll { $0.key.gateway == gateway && !fresh.contains($0.key) }
        for a in approvals { upsert(PendingItem(gateway: gateway, approval: a)) }
        return gone
    }
}
