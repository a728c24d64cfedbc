import GatehouseCore
import Synchronization

/// Collects the lines one side of a test conversation was sent, from any thread, so a test can
/// look at them and wait for the ones it expects.
public final class LineRecorder: Sendable {
    private let storage = Mutex<[[UInt8]]>([])

    public init() {}

    /// One write, which may hold several lines (an event subscriber writes its queued events
    /// together): each is recorded on its own.
    public func append(_ write: [UInt8]) {
        guard write.contains(0x0A) else { return storage.withLock { $0.append(write) } }
        let lines = write.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
        storage.withLock { $0 += lines }
    }

    public var lines: [[UInt8]] { storage.withLock { $0 } }
    public var count: Int { storage.withLock { $0.count } }
    public var texts: [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    /// Every line that parses as JSON (the others are skipped).
    public var messages: [JSONValue] { lines.compactMap { try? JSONParser.parse($0) } }

    public func removeAll() { storage.withLock { $0.removeAll() } }

    /// The first message matching `predicate`, waiting for it up to `timeout`.
    public func first(within timeout: Duration = testPatience, where predicate: (JSONValue) -> Bool) -> JSONValue? {
        waitFor(timeout: timeout) { messages.first(where: predicate) }
    }

    /// The first message with this JSON-RPC id that is a response (has result or error).
    public func response(id: JSONValue, within timeout: Duration = testPatience) -> JSONValue? {
        first(within: timeout) { m in m["id"] == id && m["method"] == nil && (m["result"] != nil || m["error"] != nil) }
    }

    /// Waits until at least `n` lines arrived.
    @discardableResult
    public func waitForCount(_ n: Int, within timeout: Duration = testPatience) -> Bool {
        waitUntil(timeout: timeout) { count >= n }
    }
}
