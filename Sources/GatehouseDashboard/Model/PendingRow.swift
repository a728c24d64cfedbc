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
