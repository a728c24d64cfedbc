import Foundation

/// A value behind a lock, in a class so closures and threads can share it (a `Mutex` cannot be
/// captured). Unchecked: every access goes through the lock.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
