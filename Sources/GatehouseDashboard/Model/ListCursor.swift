/// The selection of one list panel: the selected row's identity (never its index, which
/// shifts as rows arrive and age out), the screen row it is drawn on, and whether the
/// dashboard rather than the operator put it there.
public struct ListCursor<Key: Hashable & Sendable>: Hashable, Sendable {
    public var key: Key?
    /// Row within the panel's viewport where the selection is drawn; new rows arriving
    /// below or ageing out above do not move it, so the screen stays still.
    public var row = 0
    /// Set when the dashboard moved the selection by itself (following, first row), with
    /// the time: a decision key right after such a move is refused (see `settleSeconds`).
    public var autoSelectedAt: Double?
    /// Index of the selection when last seen, to land on a neighbour if its row goes away.
    public var lastIndex = 0

    public init() {}

    /// How long an automatically moved selection must have been on screen before a
    /// decision key acts on it: the operator cannot have seen a call that arrived within
    /// the last frame or two, and people do not react faster than this.
    public static var settleSeconds: Double { 1.0 }

    public func movedBySelf(within now: Double) -> Bool {
        autoSelectedAt.map { now - $0 < Self.settleSeconds } ?? false
    }
}
