#if canImport(Glibc)
import Glibc
#endif

/// A value that arrives once (a child's exit status), which any number of threads can
/// block on, with or without a deadline, or subscribe to.
final class Completion<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` and `handlers` are only touched with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var value: Value?
    private var handlers: [@Sendable (Value) -> Void] = []

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Deadlines on the monotonic clock are immune to wall-clock changes.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    var current: Value? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return value
    }

    /// Stores the value (the first call wins) and runs the handlers outside the lock.
    func complete(_ newValue: Value) {
        pthread_mutex_lock(mutex)
        guard value == nil else {
            pthread_mutex_unlock(mutex)
            return
        }
        value = newValue
        let pending = handlers
        handlers = []
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        for handler in pending { handler(newValue) }
    }

    /// Runs `handler` with the value: right away if it is there, else on the completing thread.
    func onComplete(_ handler: @escaping @Sendable (Value) -> Void) {
        pthread_mutex_lock(mutex)
        if let value {
            pthread_mutex_unlock(mutex)
            handler(value)
        } else {
            handlers.append(handler)
            pthread_mutex_unlock(mutex)
        }
    }

    func wait() -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let value { return value }
            pthread_cond_wait(condition, mutex)
        }
    }

    /// The value, or nil if it did not arrive within `timeout`.
    func wait(timeout: Duration) -> Value? {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let (seconds, attoseconds) = timeout.components
        let nanos = Int(deadline.tv_nsec) + Int(max(attoseconds, 0) / 1_000_000_000)
        deadline.tv_sec += min(max(Int(seconds), 0), 1 << 40) + nanos / 1_000_000_000
        deadline.tv_nsec = nanos % 1_000_000_000
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let value { return value }
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { return value }
        }
    }
}
