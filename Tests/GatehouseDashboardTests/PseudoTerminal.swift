import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Linux pseudo-terminal for driving the real `CursesScreen` in-process: the screen
/// gets the slave side as its tty; the test types into the master side and reads back
/// everything the screen wrote, collected by a background reader.
final class PseudoTerminal: @unchecked Sendable {
    let master: Int32
    let slave: Int32
    private let lock = NSLock()
    private var output: [UInt8] = []
    private var stopping = false
    private var reader: Thread?

    // <asm-generic/ioctls.h>; Swift cannot import these function-like macros.
    private static let TIOCSPTLCK: UInt = 0x4004_5431
    private static let TIOCGPTN: UInt = 0x8004_5430

    init(rows: Int, cols: Int) throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw POSIXError(.ENODEV) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.TIOCSPTLCK, &unlock) == 0, ioctl(master, Self.TIOCGPTN, &number) == 0 else {
            Glibc.close(master)
            throw POSIXError(.ENODEV)
        }
        slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { Glibc.close(master); throw POSIXError(.ENODEV) }
        resize(rows: rows, cols: cols)
        let thread = Thread { [unowned self] in self.readLoop() }
        reader = thread
        thread.start()
    }

    func resize(rows: Int, cols: Int) {
        var ws = winsize(ws_row: UInt16(rows), ws_col: UInt16(cols), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &ws)
    }

    /// Types bytes as if from the keyboard.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Everything written to the terminal so far, as text (escape sequences included).
    var written: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    func clearWritten() {
        lock.lock(); output.removeAll(); lock.unlock()
    }

    /// Waits until the terminal has been sent `needle`; false if it never arrives.
    /// (A readiness wait with a generous limit, not a timing assertion.)
    func waitForOutput(_ needle: String, limitSeconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(limitSeconds)
        while Date() < deadline {
            if written.contains(needle) { return true }
            usleep(5_000)
        }
        return written.contains(needle)
    }

    /// Waits until the slave side has input for the screen to read.
    func waitForInput(limitMilliseconds: Int32 = 10_000) -> Bool {
        var p = pollfd(fd: slave, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, limitMilliseconds) == 1
    }

    func termios() -> Glibc.termios {
        var t = Glibc.termios()
        tcgetattr(slave, &t)
        return t
    }

    func close() {
        lock.lock(); stopping = true; lock.unlock()
        while reader?.isFinished == false { usleep(1_000) }
        Glibc.close(slave)
        Glibc.close(master)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            lock.lock(); let stop = stopping; lock.unlock()
            if stop { return }
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 20) == 1 else { continue }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { continue }
            lock.lock(); output += buffer[..<n]; lock.unlock()
        }
    }
}
