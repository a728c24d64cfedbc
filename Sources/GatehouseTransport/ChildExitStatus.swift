#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
public enum ChildExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It called exit with this code.
    case exited(Int32)
    /// A signal killed it.
    case signaled(Int32)
    /// Someone else collected the status first (SIGCHLD set to SIG_IGN, or a stray `waitpid(-1)`).
    case unknown

    public var isSuccess: Bool { self == .exited(0) }

    /// Decodes a waitpid(2) status word (the W* macros are not imported into Swift).
    init(waitStatus status: Int32) {
        let signal = status & 0x7F
        if signal == 0 {
            self = .exited((status >> 8) & 0xFF)
        } else {
            self = .signaled(signal)
        }
    }

    public var description: String {
        switch self {
        case .exited(let code):
            return "exited with code \(code)"
        case .signaled(let signal):
            if let name = strsignal(signal) { return "killed by signal \(signal) (\(String(cString: name)))" }
            return "killed by signal \(signal)"
        case .unknown:
            return "exit status unknown"
        }
    }
}
