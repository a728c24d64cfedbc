import GatehouseCore

/// Everything that can change the dashboard, as data: keys, time, and what gateways say.
/// The app layer turns terminal and socket activity into these; tests write them by hand.
public enum DashboardInput: Sendable {
    case key(Key)
    /// Time passed (countdowns, rates); nothing else happened.
    case tick
    /// The views drew a frame with this geometry.
    case layout(ScreenMap)
    /// A control socket to watch (found in the directory or named on the command line).
    case gatewayFound(GatewayID)
    case connecting(GatewayID)
    /// Handshake done; a subscribe is on its way.
    case connected(GatewayID, HelloResult)
    case disconnected(GatewayID, reason: String, retryAt: Double?)
    /// The answer to `subscribe`: the gateway's whole state.
    case snapshot(GatewayID, Snapshot)
    case event(GatewayID, ControlEvent)
    /// The gateway dropped events for us and sent its state again.
    case resync(GatewayID, ResyncParams)
    case commandSucceeded(token: Int, CommandReply)
    case commandFailed(token: Int, message: String)
    /// Ctrl-C, SIGTERM, SIGHUP: leave cleanly.
    case terminationRequested
}
