#if canImport(Glibc)
import Glibc
#endif

/// Every failure the transport layer reports. `description` is meant to be shown to a person as is.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `posix_spawnp` found no executable by that name (on PATH or at that path).
    case commandNotFound(String)
    /// The command exists but may not be executed (EACCES).
    case commandNotExecutable(String)
    /// Spawning failed for another reason.
    case spawnFailed(command: String, errno: Int32)
    /// Nothing accepts connections at the socket path.
    case noListener(path: String)
    /// The socket or its directory is not accessible to us.
    case permissionDenied(path: String)
    /// A live server already answers at the socket path.
    case alreadyListening(path: String)
    /// The path exists but is not a socket, so it is never removed for us.
    case notASocket(path: String)
    /// The socket directory is unsafe to use (wrong owner, not a directory...).
    case insecureDirectory(path: String, reason: String)
    /// Unix socket paths must fit in `sockaddr_un.sun_path` (107 bytes plus NUL).
    case pathTooLong(path: String)
    /// The reader on the other end is gone (EPIPE / ECONNRESET).
    case brokenPipe
    /// The peer did not accept data within the write timeout; the stream may hold a partial line.
    case writeTimedOut
    /// The peer sent nothing within the read timeout.
    case readTimedOut
    /// The descriptor was closed locally.
    case closed
    /// Any other system call failure.
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .commandNotFound(let command):
            return "command not found: \(command)"
        case .commandNotExecutable(let command):
            return "cannot execute \(command): permission denied"
        case .spawnFailed(let command, let code):
            return "cannot start \(command): \(errorString(code))"
        case .noListener(let path):
            return "no gateway listening at \(path)"
        case .permissionDenied(let path):
            return "permission denied for \(path)"
        case .alreadyListening(let path):
            return "a server is already listening at \(path)"
        case .notASocket(let path):
            return "\(path) exists and is not a socket; refusing to replace it"
        case .insecureDirectory(let path, let reason):
            return "unsafe socket directory \(path): \(reason)"
        case .pathTooLong(let path):
            return "socket path too long (\(path.utf8.count) bytes, limit 107): \(path)"
        case .brokenPipe:
            return "broken pipe: the reader has gone away"
        case .writeTimedOut:
            return "write timed out: the peer is not reading"
        case .readTimedOut:
            return "read timed out: the peer sent nothing in time"
        case .closed:
            return "descriptor already closed"
        case .system(let call, let code):
            return "\(call): \(errorString(code))"
        }
    }

    /// The errno behind this error, when there is one.
    public var errno: Int32? {
        switch self {
        case .spawnFailed(_, let code), .system(_, let code): return code
        case .brokenPipe: return EPIPE
        case .writeTimedOut: return EAGAIN
        case .readTimedOut: return ETIMEDOUT
        default: return nil
        }
    }

    /// Captures the current `errno` for `call`.
    static func last(_ call: String) -> TransportError {
        .system(call: call, errno: Glibc.errno)
    }
}

func errorString(_ code: Int32) -> String {
    // glibc's strerror returns static strings for known codes, safe across threads since 2.32.
    String(cString: strerror(code))
}
