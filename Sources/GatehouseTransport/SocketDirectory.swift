#if canImport(Glibc)
import Glibc
#endif

/// The directory holding a server socket is its real access control: other users must not
/// be able to enter it, and nobody else may own it (they could swap the socket for theirs).
enum SocketDirectory {
    static func parent(of path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[..<slash], as: UTF8.self)
    }

    /// Creates the directory (and missing ancestors) with mode 0700, or checks an existing one:
    /// ours and too open is tightened to 0700; not ours is refused.
    /// `home` is only a parameter so tests can name one.
    static func prepare(_ directory: String, home: String? = getenv("HOME").map { String(cString: $0) }) throws {
        var info = stat()
        if stat(directory, &info) != 0 {
            guard errno == ENOENT else { throw TransportError.system(call: "stat \(directory)", errno: errno) }
            try createWithAncestors(directory)
            guard stat(directory, &info) == 0 else { throw TransportError.system(call: "stat \(directory)", errno: errno) }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw TransportError.insecureDirectory(path: directory, reason: "not a directory")
        }
        let me = Transport.currentUID
        guard info.st_uid == me else {
            let owner = Transport.userName(uid: info.st_uid).map { "\($0) (uid \(info.st_uid))" } ?? "uid \(info.st_uid)"
            throw TransportError.insecureDirectory(path: directory, reason: "owned by \(owner), not by uid \(me)")
        }
        if info.st_mode & 0o077 != 0 {
            // Tightening a dedicated directory is a fix; tightening someone's home is a surprise.
            if let home, isSameFile(info, home) {
                let mode = String(info.st_mode & 0o777, radix: 8)
                throw TransportError.insecureDirectory(
                    path: directory, reason: "your home directory is open to others (mode \(mode)); use a dedicated directory")
            }
            guard chmod(directory, 0o700) == 0 else {
                throw TransportError.system(call: "chmod 0700 \(directory)", errno: errno)
            }
        }
    }

    private static func isSameFile(_ info: stat, _ path: String) -> Bool {
        var other = stat()
        return stat(path, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino
    }

    private static func createWithAncestors(_ directory: String) throws {
        let above = parent(of: directory)
        if above != directory && above != "." && above != "/" {
            var info = stat()
            if stat(above, &info) != 0 && errno == ENOENT { try createWithAncestors(above) }
        }
        if mkdir(directory, 0o700) == 0 {
            // The umask can only have narrowed 0700, maybe to something unusable; make it exact.
            _ = chmod(directory, 0o700)
        } else if errno != EEXIST {
            let code = errno
            if code == EACCES { throw TransportError.permissionDenied(path: directory) }
            throw TransportError.system(call: "mkdir \(directory)", errno: code)
        }
    }
}
