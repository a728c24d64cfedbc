import Foundation

/// Replaces `path` with `text` in one step (a sibling temporary file renamed over it), so a
/// watcher never reads half a file. Not Foundation's `atomically: true`, which on Linux leaves a
/// `TemporaryDirectory.*` folder behind in /tmp for every write.
public func writeFileAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".writing-\(getpid())"
    try text.write(toFile: temporary, atomically: false, encoding: .utf8)
    guard rename(temporary, path) == 0 else {
        let code = errno
        try? FileManager.default.removeItem(atPath: temporary)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
}
