import Foundation
import Synchronization

/// How long tests wait for something that should happen soon. Generous on purpose: it only
/// exists so that a bug hangs no test run, and no test depends on anything being fast.
public let testPatience: Duration = .seconds(30)

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
@discardableResult
public func waitUntil(timeout: Duration = testPatience, poll: Duration = .milliseconds(5),
                      _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if try condition() { return true }
        if clock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: Double(poll.components.attoseconds) / 1e18 + Double(poll.components.seconds))
    }
}

/// Polls `value` until it gives something or `timeout` passes.
public func waitFor<T>(timeout: Duration = testPatience, poll: Duration = .milliseconds(5),
                       _ value: () throws -> T?) rethrows -> T? {
    var found: T?
    try waitUntil(timeout: timeout, poll: poll) {
        found = try value()
        return found != nil
    }
    return found
}

public struct TimedOut: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "timed out: \(what)" }
}

/// Runs `operation`, or throws `TimedOut` if it has not finished within `timeout`. The
/// operation is cancelled then but not waited for, so one that ignores cancellation cannot hang
/// the test.
public func withTimeout<T: Sendable>(_ what: String, timeout: Duration = testPatience,
                                     _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let work = Task {
            do { once.resume(with: .success(try await operation())) } catch { once.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            if once.resume(with: .failure(TimedOut(what: what))) { work.cancel() }
        }
    }
}

private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = Mutex<CheckedContinuation<T, any Error>?>(nil)
    func set(_ c: CheckedContinuation<T, any Error>) { state.withLock { $0 = c } }
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let c = state.withLock({ s -> CheckedContinuation<T, any Error>? in
            defer { s = nil }
            return s
        }) else { return false }
        c.resume(with: result)
        return true
    }
}
