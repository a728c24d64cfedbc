#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Puts the terminal back the way the shell had it, whatever way the process ends.
///
/// The normal path is `CursesScreen.restore()` (endwin). For every other path this guard
/// keeps, while curses is active, a precomputed "emergency restore": the bytes that leave
/// the alternate screen and show the cursor, and the shell's termios. Writing those is
/// async-signal-safe (write(2), tcsetattr(3)), unlike endwin, so it can run from:
/// - SIGINT, SIGTERM, SIGHUP, SIGQUIT: restore, then let the signal take its previous
///   course, normally death by that signal (so the parent sees the real exit status).
///   With `gracefulTermination` the first such signal only sets a flag and wakes the
///   event loop, which then quits cleanly; a second one before the loop took the first
///   restores and dies, so a stuck loop can always be interrupted.
/// - SIGTSTP (Ctrl-Z) stays ncurses' (it gives the terminal back while stopped); the
///   guard only wraps it to switch off modes ncurses does not know, such as mouse reports.
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP (crashes, `fatalError`,
///   failed preconditions): restore, then hand the signal to its previous handler (the
///   Swift runtime's backtracer prints on the restored screen) or the default action.
/// - `exit()` from anywhere: an atexit hook.
/// Restoring happens at most once, whichever path gets there first.
public enum TerminalGuard {
    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    /// Dispositions saved before newterm and put back on disarm. SIGWINCH is saved later,
    /// after newterm: ncurses installs its resize handler only on the process's first
    /// newterm, so it must survive for any later screen. SIGTSTP is left to ncurses.
    static let managedSignals: [Int32] = terminationSignals + fatalSignals

    /// Whether the emergency restore is live (curses owns the terminal).
    public static var isArmed: Bool { armed.load(ordering: .acquiring) }

    /// Readable whenever the event loop should wake for the terminal: after SIGWINCH (call
    /// `readKey()`, which yields `.resize`) or a termination request. -1 when not armed.
    public static var wakeFileDescriptor: Int32 { state.pointee.wakeRead }

    /// The signal that asked for a graceful exit, if one did (consumes it).
    public static func takeTerminationRequest() -> Int32? {
        let sig = pendingSignal.exchange(0, ordering: .acquiringAndReleasing)
        return sig == 0 ? nil : sig
    }

    /// Writes the restore bytes and termios now, if armed; async-signal-safe and idempotent.
    public static func emergencyRestore() {
        guard armed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let s = state.pointee
        writeAll(s.reset, to: s.ttyFD)
        var t = s.termios
        _ = tcsetattr(s.ttyFD, TCSANOW, &t)
    }

    // MARK: Arming (CursesScreen only)

    /// Records the current dispositions so `disarm` can put them back; call before newterm.
    static func saveDispositions() {
        savedDispositions = [:]
        for sig in managedSignals {
            var old = sigaction()
            sigaction(sig, nil, &old)
            savedDispositions[sig] = old
        }
    }

    /// Installs the handlers; call right after curses has taken the terminal.
    /// - Parameters:
    ///   - suspendSequence / resumeSequence: written around a Ctrl-Z stop (modes ncurses
    ///     does not know about itself, such as our mouse reporting).
    static func arm(ttyFD: Int32, shellTermios: termios, resetSequence: [UInt8],
                    suspendSequence: String = "", resumeSequence: String = "", gracefulTermination: Bool) {
        var s = state.pointee
        s.ttyFD = ttyFD
        s.termios = shellTermios
        s.reset = Bytes(resetSequence, replacing: s.reset)
        s.suspend = Bytes(Array(suspendSequence.utf8), replacing: s.suspend)
        s.resume = Bytes(Array(resumeSequence.utf8), replacing: s.resume)
        if s.wakeRead < 0 {
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) == 0 {
                for fd in fds {
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                }
                s.wakeRead = fds[0]
                s.wakeWrite = fds[1]
            }
        }
        s.previousWinch = nil
        s.previousCount = 0
        for sig in managedSignals where s.previousCount < 16 {
            if let action = savedDispositions[sig] {
                s.previous[s.previousCount] = (sig, action)
                s.previousCount += 1
            }
        }
        state.pointee = s
        graceful.store(gracefulTermination, ordering: .releasing)
        _ = pendingSignal.exchange(0, ordering: .acquiringAndReleasing)
        armed.store(true, ordering: .releasing)

        // A handler never runs for a blocked signal, and a parent may hand us a mask that
        // blocks them (some launchers and test runners do): unblock them on this thread.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in terminationSignals + [SIGWINCH, SIGTSTP, SIGCONT] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)

        for sig in terminationSignals {
            // An ignored signal stays ignored (nohup's SIGHUP): catching it would restore the
            // terminal and then carry on as if nothing happened.
            if let old = savedDispositions[sig], unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 {
                continue
            }
            signal(sig, onTermination)
        }
        for sig in fatalSignals { signal(sig, onFatal) }
        // ncurses turns SIGWINCH into KEY_RESIZE; keep its handler, chained, and add a
        // wake-up. The chain is stored before ours goes in, so a SIGWINCH at any moment
        // finds either the old handler alone or ours with the chain in place.
        var winch = sigaction()
        sigaction(SIGWINCH, nil, &winch)
        savedDispositions[SIGWINCH] = winch
        if let current = winch.__sigaction_handler.sa_handler, !isSpecial(current),
           winch.sa_flags & SA_SIGINFO == 0 {
            state.pointee.previousWinch = current
        }
        signal(SIGWINCH, onWindowChange)
        // ncurses' Ctrl-Z handler gives the terminal back while stopped and takes it again
        // on resume; wrap it so modes it does not know about follow suit.
        var tstp = sigaction()
        sigaction(SIGTSTP, nil, &tstp)
        state.pointee.previousTstp = nil
        if s.suspend.count + s.resume.count > 0, let current = tstp.__sigaction_handler.sa_handler,
           !isSpecial(current), tstp.sa_flags & SA_SIGINFO == 0 {
            savedDispositions[SIGTSTP] = tstp
            state.pointee.previousTstp = current
            signal(SIGTSTP, onSuspend)
        }
        if !atexitRegistered.exchange(true, ordering: .acquiringAndReleasing) {
            atexit { TerminalGuard.emergencyRestore() }
        }
    }

    /// The normal path has restored the terminal: stand down and put the old handlers back.
    static func disarm() {
        armed.store(false, ordering: .releasing)
        for (sig, var old) in savedDispositions { sigaction(sig, &old, nil) }
        drainWakePipe()
    }

    static func drainWakePipe() {
        let fd = state.pointee.wakeRead
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(fd, &buffer, buffer.count) > 0 {}
    }

    // MARK: Handler state
    //
    // Signal handlers cannot capture context, so they read globals. What they read lives
    // behind a pointer allocated once (no exclusivity bookkeeping, no copies of reference-
    // counted values), is plain data, and is written before the handlers go in, so a
    // handler never runs a lazy initialiser, allocates, or takes a lock.

    /// A byte string a signal handler can write: plain pointer and length.
    struct Bytes {
        var pointer: UnsafeMutablePointer<UInt8>?
        var count = 0

        init() {}

        /// Copies `bytes`, freeing what `old` held (only ever called outside handlers, with
        /// the guard disarmed).
        init(_ bytes: [UInt8], replacing old: Bytes) {
            old.pointer?.deallocate()
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
            p.initialize(from: bytes, count: bytes.count)
            pointer = p
            count = bytes.count
        }
    }

    struct State {
        var ttyFD: Int32 = STDOUT_FILENO
        var termios = Glibc.termios()
        var reset = Bytes()
        var suspend = Bytes()
        var resume = Bytes()
        var previousTstp: (@convention(c) (Int32) -> Void)?
        var wakeRead: Int32 = -1
        var wakeWrite: Int32 = -1
        var previousWinch: (@convention(c) (Int32) -> Void)?
        /// What termination and fatal signals did before `arm`, readable without Swift
        /// collections (the handlers must not touch reference-counted storage).
        var previous: UnsafeMutablePointer<(signal: Int32, action: sigaction)> = .allocate(capacity: 16)
        var previousCount = 0
    }

    nonisolated(unsafe) static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        p.initialize(to: State())
        return p
    }()
    nonisolated(unsafe) static var savedDispositions: [Int32: sigaction] = [:]
    static let armed = Atomic<Bool>(false)
    static let graceful = Atomic<Bool>(false)
    static let pendingSignal = Atomic<Int32>(0)
    static let atexitRegistered = Atomic<Bool>(false)

    private static func isSpecial(_ handler: @convention(c) (Int32) -> Void) -> Bool {
        let raw = unsafeBitCast(handler, to: Int.self)
        return raw == 0 || raw == 1 || raw == -1  // SIG_DFL, SIG_IGN, SIG_ERR
    }

    private static func writeAll(_ bytes: Bytes, to fd: Int32) {
        guard let p = bytes.pointer else { return }
        var off = 0
        while off < bytes.count {
            let n = write(fd, p + off, bytes.count - off)
            if n <= 0 { return }
            off += n
        }
    }

    private static func wake() {
        var byte: UInt8 = 1
        _ = write(state.pointee.wakeWrite, &byte, 1)
    }

    /// Restores the terminal, then hands the signal back to whoever had it before us (the
    /// default action, or e.g. the Swift runtime's crash backtracer, which then prints on
    /// the restored screen). `raise` is blocked until this handler returns.
    private static func dieOf(_ sig: Int32) {
        emergencyRestore()
        let s = state.pointee
        var handedBack = false
        for i in 0..<s.previousCount where s.previous[i].signal == sig {
            var action = s.previous[i].action
            sigaction(sig, &action, nil)
            handedBack = true
        }
        if !handedBack { signal(sig, SIG_DFL) }
        raise(sig)
    }

    private static let onTermination: @convention(c) (Int32) -> Void = { sig in
        if TerminalGuard.armed.load(ordering: .acquiring), TerminalGuard.graceful.load(ordering: .acquiring),
           TerminalGuard.pendingSignal.compareExchange(expected: 0, desired: sig, ordering: .acquiringAndReleasing).exchanged {
            TerminalGuard.wake()
            return
        }
        TerminalGuard.dieOf(sig)
    }

    private static let onFatal: @convention(c) (Int32) -> Void = { sig in
        TerminalGuard.dieOf(sig)
    }

    private static let onSuspend: @convention(c) (Int32) -> Void = { sig in
        let s = TerminalGuard.state.pointee
        TerminalGuard.writeAll(s.suspend, to: s.ttyFD)
        s.previousTstp?(sig)   // returns after SIGCONT, with ncurses back in charge
        TerminalGuard.writeAll(s.resume, to: s.ttyFD)
    }

    private static let onWindowChange: @convention(c) (Int32) -> Void = { sig in
        TerminalGuard.state.pointee.previousWinch?(sig)
        TerminalGuard.wake()
    }
}
