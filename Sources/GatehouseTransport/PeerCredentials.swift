#if canImport(Glibc)
import Glibc
#endif

/// Who is at the other end of a Unix socket, as the kernel saw it at connect time (SO_PEERCRED).
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public let pid: pid_t
    public let uid: uid_t
    public let gid: gid_t

    public init(pid: pid_t, uid: uid_t, gid: gid_t) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// True for our own user and for root: the policy the gateway applies to its control socket.
    public var isCurrentUserOrRoot: Bool { uid == Transport.currentUID || uid == 0 }

    public var description: String {
        let user = Transport.userName(uid: uid).map { "\($0) (uid \(uid))" } ?? "uid \(uid)"
        return "pid \(pid), user \(user), gid \(gid)"
    }

    /// Reads the peer of a connected Unix socket.
    static func of(socket fd: Int32) throws -> PeerCredentials {
        // struct ucred is hidden behind _GNU_SOURCE; its layout is fixed by the kernel ABI.
        struct RawCredentials {
            var pid: pid_t = 0
            var uid: uid_t = 0
            var gid: gid_t = 0
        }
        var raw = RawCredentials()
        var length = socklen_t(MemoryLayout<RawCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &raw, &length) == 0 else {
            throw TransportError.last("getsockopt(SO_PEERCRED)")
        }
        return PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
    }
}
