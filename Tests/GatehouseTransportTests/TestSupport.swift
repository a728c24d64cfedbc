import Foundation
import Glibc
import Testing
@testable import GatehouseTransport

/// Generous bound for anything that should happen "soon": only there so a bug hangs no test run.
let patience: Duration = .seconds(30)

/// A fresh 0700 directory under $TMPDIR (or /tmp) with a short name, so socket paths stay
/// far below the 108-byte limit.
final class TempDir: Sendable {
    let path: String

    init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/ght.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TransportError.last("mkdtemp") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` on its own thread; the result can be awaited with a timeout.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> Completion<Result<T, any Error>> {
    let done = Completion<Result<T, any Error>>()
    try NativeThread.detach(name: "test") { done.complete(Result { try body() }) }
    return done
}

extension Completion {
    /// The value, or a recorded test failure (and a thrown error) if it never came.
    func value<T>(within timeout: Duration = patience, sourceLocation: SourceLocation = #_sourceLocation) throws -> T
    where Value == Result<T, any Error> {
        guard let result = wait(timeout: timeout) else {
            Issue.record("timed out after \(timeout)", sourceLocation: sourceLocation)
            throw TransportError.system(call: "test wait", errno: ETIMEDOUT)
        }
        return try result.get()
    }
}

/// All events of a reader until end of stream.
func drain(_ reader: LineReader) throws -> [LineEvent] {
    var events: [LineEvent] = []
    while let event = try reader.next() { events.append(event) }
    return events
}

func line(_ text: String) -> LineEvent { .line(Array(text.utf8)) }

/// Writes `data` completely to a raw descriptor (test-side plumbing, independent of FDWriter).
func writeAll(_ fd: Int32, _ data: [UInt8]) {
    var offset = 0
    while offset < data.count {
        let n = data[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        precondition(n > 0, "test write failed: \(errno)")
        offset += n
    }
}
