/// What views need besides the state: the time (countdowns), the clock's zone, and where
/// the dashboard looks for gateways (for the empty screen's advice).
public struct ViewContext: Sendable {
    public var now: Double
    public var zone: Format.Zone
    /// The socket directory being watched; nil when only given sockets are attached.
    public var watching: String?

    public init(now: Double, zone: Format.Zone = .local, watching: String? = nil) {
        self.now = now
        self.zone = zone
        self.watching = watching
    }
}
