import Foundation

/// Writes a file (a generated policy, a rewritten configuration) without ever leaving a half-written one: a temporary file next to the
/// target, then a rename. Without `replace`, an existing file is never touched, even one created
/// a moment ago by someone else.
enum AtomicFileWriter {
    struct Exists: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) exists" }
    }

    static func write(_ text: String, to path: String, replace: Bool, mode: mode_t = 0o644) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let tmp = (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        // The umask may have narrowed the mode; a replaced file keeps the one asked for.
        if fd >= 0 { fchmod(fd, mode) }
        guard fd >= 0 else { throw posix("create \(tmp)") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = posix("write \(tmp)")
                close(fd)
                unlink(tmp)
                throw e
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(tmp)
            throw posix("write \(tmp)")
        }
        if replace {
            guard rename(tmp, path) == 0 else {
                let e = posix("rename to \(path)")
                unlink(tmp)
                throw e
            }
        } else {
            // link(2) fails if the target exists: the no-clobber check and the write are one step.
            defer { unlink(tmp) }
            guard link(tmp, path) == 0 else {
                if errno == EEXIST { throw Exists(path: path) }
                throw posix("create \(path)")
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func posix(_ what: String) -> Failure {
        Failure(description: "\(what): \(String(cString: strerror(errno)))")
    }
}
