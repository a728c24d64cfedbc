import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh private directory under `$TMPDIR` (or /tmp), removed with everything in it when the
/// value is released. Its path is short, so Unix socket paths inside it stay far below 108 bytes.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "gh") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let made else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp failed: errno \(errno)"])
        }
        path = made
    }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try writeFileAtomically(text, to: p)
        return p
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
