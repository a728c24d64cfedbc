import Foundation

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
