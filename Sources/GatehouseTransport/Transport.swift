#if canImport(Glibc)
import Glibc
#endif

/// Process-wide helpers of the transport layer.
public enum Transport {
    private static let sigpipeIgnored: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Makes a write to a pipe whose reader is gone fail with EPIPE instead of killing the
    /// process. Idempotent; `FDWriter` calls it for pipes. Children get SIGPIPE back at its
    /// default (see `ChildProcess`).
    public static func ignoreSIGPIPE() {
        _ = sigpipeIgnored
    }

    /// Our effective uid: the one the kernel reports to peers through SO_PEERCRED.
    public static var currentUID: uid_t { geteuid() }

    /// The login name for `uid`, or nil when the user database has no entry.
    public static func userName(uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let suggested = sysconf(Int32(_SC_GETPW_R_SIZE_MAX))
        var size = suggested > 0 ? suggested : 1024
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let rc = getpwuid_r(uid, &entry, buffer, size, &result)
            if rc == ERANGE {
                size *= 2
                continue
            }
            guard rc == 0, result != nil, let name = entry.pw_name else { return nil }
            return String(cString: name)
        }
        return nil
    }
}
