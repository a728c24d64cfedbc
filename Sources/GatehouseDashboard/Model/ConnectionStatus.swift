/// Where the dashboard stands with one gateway's control socket.
public enum ConnectionStatus: Hashable, Sendable {
    /// Found, not connected yet (or a new attempt under way).
    case connecting
    /// Handshake done, waiting for the first snapshot.
    case subscribing
    case connected
    /// Lost or refused; `retryAt` is when the next attempt starts (nil: not retrying).
    case disconnected(reason: String, since: Double, retryAt: Double?)

    public var isConnected: Bool { self == .connected }
}
