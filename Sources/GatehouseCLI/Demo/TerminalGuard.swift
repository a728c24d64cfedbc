import Foundation

/// Keeps the terminal usable around the dashboard: remembers the terminal's settings so they can
/// be put back if the demo must exit while the dashboard still has the screen (a signal), and
/// sends stderr to a file meanwhile, so log lines from the gateway never scribble over the screen.
final class TerminalGuard: @unchecked Sendable {
    private var saved = termios()
    private let hasTerminal: Bool
    private var savedStderr: Int32 = -1
    private let lock = NSLock()

    init() {
        hasTerminal = isatty(0) == 1 && tcgetattr(0, &saved) == 0
    }

    /// Points fd 2 at `path` (appending) until `restoreStderr()`. Children started meanwhile inherit it.
    func redirectStderr(to path: String) throws {
        lock.lock()
        defer { lock.unlock() }
        guard savedStderr < 0 else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DemoError("cannot open \(path): \(String(cString: strerror(errno)))") }
        fflush(nil)
        savedStderr = fcntl(2, F_DUPFD_CLOEXEC, 3)
        dup2(fd, 2)
        close(fd)
    }

    func restoreStderr() {
        lock.lock()
        defer { lock.unlock() }
        guard savedStderr >= 0 else { return }
        fflush(nil)
        dup2(savedStderr, 2)
        close(savedStderr)
        savedStderr = -1
    }

    /// Undoes what a full-screen program may have left behind: raw mode, the alternate screen, a hidden cursor.
    func restoreTerminal() {
        guard hasTerminal else { return }
        var t = saved
        tcsetattr(0, TCSANOW, &t)
        if isatty(1) == 1 {
            let reset = "\u{1B}[0m\u{1B}[?1049l\u{1B}[?25h"
            _ = reset.withCString { write(1, $0, strlen($0)) }
        }
    }
}
