import Foundation

/// Runs async work to completion from synchronous code. The commands stay synchronous so that
/// the dashboard can own the main thread; the work itself runs on the cooperative pool, which
/// the blocked caller is never part of.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        done.signal()
    }
    done.wait()
    return try box.get()
}

/// The result handed from the task to the waiting thread; the semaphore orders the two.
private final class BlockingResult<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, any Error>?
    private let lock = NSLock()

    func set(_ r: Result<T, any Error>) {
        lock.lock()
        result = r
        lock.unlock()
    }

    func get() throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try result!.get()
    }
}
