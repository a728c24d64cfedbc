import GatehouseCore
import Foundation

/// A value set once by whoever comes first, waited for by one thread.
final class OneShot<Value: Sendable>: Sendable {
    private let value = Locked<Value?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func fire(_ v: Value) {
        let first = value.withLock { current in
            guard current == nil else { return false }
            current = v
            return true
        }
        if first { ready.signal() }
    }

    func wait() -> Value {
        ready.wait()
        return value.withLock { $0! }
    }

    /// The value, or nil if none came within `timeout` seconds.
    func wait(timeout: Double) -> Value? {
        guard ready.wait(timeout: .now() + timeout) == .success else { return nil }
        return value.withLock { $0 }
    }
}
