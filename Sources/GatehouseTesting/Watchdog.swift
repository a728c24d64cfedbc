import Foundation
import Synchronization

/// Runs an action if it is not cancelled in time: e.g. closes a connection a test is blocked
/// reading, so a missing message fails the test instead of hanging the run.
public final class Watchdog: Sendable {
    private enum State { case armed, cancelled, fired }
    private let state = Mutex(State.armed)

    public init(after timeout: Duration = testPatience, _ action: @escaping @Sendable () -> Void) {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            let fire = state.withLock { s in
                guard s == .armed else { return false }
                s = .fired
                return true
            }
            if fire { action() }
        }
    }

    /// Whether the action ran.
    public var fired: Bool { state.withLock { $0 == .fired } }

    public func cancel() {
        state.withLock { s in if s == .armed { s = .cancelled } }
    }
}

/// Runs `body`; if it takes longer than `timeout`, `onTimeout` runs (typically closing what
/// `body` is blocked on, so it returns).
public func withWatchdog<T>(_ timeout: Duration = testPatience, onTimeout: @escaping @Sendable () -> Void,
                            _ body: () throws -> T) rethrows -> T {
    let dog = Watchdog(after: timeout, onTimeout)
    defer { dog.cancel() }
    return try body()
}
