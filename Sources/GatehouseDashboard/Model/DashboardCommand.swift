/// What the model asks the app layer to do. The model never touches sockets or curses.
public enum DashboardCommand: Hashable, Sendable {
    /// Send `request` to `gateway`; report the answer as `commandSucceeded/Failed(token)`.
    case send(token: Int, gateway: GatewayID, request: ControlRequest)
    /// Repaint every cell (Ctrl-L), not just the changed ones.
    case redraw
    case quit
}
