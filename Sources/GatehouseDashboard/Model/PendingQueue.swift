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

/// A held call that left the queue while the operator had it selected. It stays on screen,
/// dimmed, with what happened, until the operator moves: the cursor never jumps to another
/// call on its own, so a key pressed a moment later cannot land on a different call.
public struct PendingGhost: Hashable, Sendable {
    public var item: PendingItem
    /// "approved by bob", "timed out: denied", ...
    public var note: String
}

/// A row of the pending panel.
public enum PendingRow: Hashable, Sendable {
    case live(PendingItem)
    case ghost(PendingGhost)

    public var key: CallKey {
        switch self {
        case .live(let i): i.key
        case .ghost(let g): g.item.key
        }
    }

    public var item: PendingItem {
        switch self {
        case .live(let i): i
        case .ghost(let g): g.item
        }
    }
}
