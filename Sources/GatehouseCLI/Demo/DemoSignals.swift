import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a callback on a dispatch queue, so the demo can stop
/// what it started instead of dying with its children still running.
/// Unchecked: the dispatch sources are only touched under the lock.
final class DemoSignals: @unchecked Sendable {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [any DispatchSourceSignal]
    private let lock = NSLock()

    private init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }

    static func install(_ handler: @escaping @Sendable (Int32) -> Void) -> DemoSignals {
        let queue = DispatchQueue(label: "gatehouse.demo.signals")
        var sources: [any DispatchSourceSignal] = []
        for sig in handled {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { handler(sig) }
            s.resume()
            sources.append(s)
        }
        return DemoSignals(sources)
    }

    /// Puts the default actions back.
    func cancel() {
        lock.lock()
        for s in sources { s.cancel() }
        sources.removeAll()
        lock.unlock()
        for sig in Self.handled { signal(sig, SIG_DFL) }
    }
}
