import Foundation
import Testing
@testable import GatehouseDashboard
#if canImport(Glibc)
import Glibc
#endif

/// The real ncurses backend, driven through a pseudo-terminal. Serialized: ncurses and
/// the signal handlers are process-wide, and only one CursesScreen may exist at a time.
@Suite("CursesScreen on a pseudo-terminal", .serialized)
struct CursesScreenTests {
    static let environment = ["TERM": "xterm-256color"]

    func makeScreen(_ pty: PseudoTerminal, graceful: Bool = false,
                    environment: [String: String] = environment) throws -> CursesScreen {
        try CursesScreen(options: .init(gracefulTermination: graceful, terminalType: "xterm-256color",
                                        inputFD: pty.slave, outputFD: pty.slave, environment: environment))
    }

    func readKeys(_ screen: CursesScreen, _ pty: PseudoTerminal, count: Int) -> [Key] {
        var keys: [Key] = []
        while keys.count < count, pty.waitForInput() {
            while let k = screen.readKey() { keys.append(k) }
        }
        return keys
    }

    @Test func drawsReadsKeysAndRestores() throws {
        let pty = try PseudoTerminal(rows: 30, cols: 100)
        defer { pty.close() }
        let before = pty.termios()
        #expect(before.c_lflag & tcflag_t(ICANON) != 0)

        let screen = try makeScreen(pty)
        #expect(screen.size == Size(rows: 30, cols: 100))
        #expect(screen.capabilities.colorDepth == .palette256)
        #expect(pty.waitForOutput("\u{1B}[?1049h"))          // alternate screen
        let inCurses = pty.termios()
        #expect(inCurses.c_lflag & tcflag_t(ICANON) == 0)     // cbreak
        #expect(inCurses.c_lflag & tcflag_t(ECHO) == 0)       // noecho
        #expect(inCurses.c_iflag & tcflag_t(IXON) == 0)       // ^S does not freeze the screen
        #expect(TerminalGuard.isArmed)

        screen.beginFrame()
        let inner = screen.drawBox(Rect(row: 0, col: 0, rows: 5, cols: 40), title: "Gatehouse")
        screen.put(row: inner.row, col: inner.col, text: "hello from curses", style: .selected)
        screen.put(row: 29, col: 95, text: "edge-overflow", style: .denied)   // clipped at the corner
        screen.endFrame()
        #expect(pty.waitForOutput("hello from curses"))
        #expect(pty.waitForOutput("edge"))
        #expect(!pty.written.contains("overflow"))

        // Keys as an xterm sends them in keypad-transmit mode.
        pty.type("j" + "\u{1B}OA" + "\u{1B}[6~" + "\u{01}" + "\r" + "\u{1B}[Z" + "\u{1B}OP" + "?")
        let keys = readKeys(screen, pty, count: 8)
        #expect(keys == [.char("j"), .up, .pageDown, .ctrl("A"), .enter, .backTab, .function(1), .char("?")])
        #expect(screen.readKey() == nil)                      // nothing left: never blocks

        // SGR mouse reports (xterm-256color's kmous): press at column 11, row 6 (1-based),
        // its release (ignored), and a wheel step down.
        #expect(pty.written.contains("\u{1B}[?1000h\u{1B}[?1006h"))  // reporting switched on
        pty.type("\u{1B}[<0;11;6M" + "\u{1B}[<0;11;6m" + "\u{1B}[<65;3;2M" + "x")
        #expect(readKeys(screen, pty, count: 3) == [.mouse(row: 5, col: 10, button: .left),
                                                     .mouse(row: 1, col: 2, button: .wheelDown), .char("x")])
        // A lone release must not leave readKey waiting for more input.
        pty.type("\u{1B}[<0;11;6m")
        #expect(pty.waitForInput())
        #expect(screen.readKey() == nil)

        if screen.capabilities.utf8 {
            pty.type("中é")
            #expect(readKeys(screen, pty, count: 2) == [.char("中"), .char("é")])
        }

        screen.restore()
        #expect(!TerminalGuard.isArmed)
        #expect(pty.waitForOutput("\u{1B}[?1049l"))           // back to the shell's screen
        #expect(pty.written.contains("\u{1B}[?1006l\u{1B}[?1000l"))  // mouse reporting off
        let after = pty.termios()
        #expect(after.c_lflag & tcflag_t(ICANON) != 0)
        #expect(after.c_lflag & tcflag_t(ECHO) != 0)
        #expect(after.c_iflag & tcflag_t(IXON) == before.c_iflag & tcflag_t(IXON))
        screen.restore()                                       // idempotent
    }

    @Test func resizeArrivesAsAKeyAndWakesTheLoop() throws {
        let pty = try PseudoTerminal(rows: 30, cols: 100)
        defer { pty.close() }
        let screen = try makeScreen(pty)
        defer { screen.restore() }
        let wake = screen.wakeFileDescriptor
        #expect(wake >= 0)

        pty.resize(rows: 20, cols: 60)
        // The kernel signals only the tty's own process group, which we are not, so send it
        // ourselves, to the process: test threads block signals, a process signal finds one
        // that does not.
        kill(getpid(), SIGWINCH)
        var p = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
        #expect(poll(&p, 1, 10_000) == 1)                     // the event loop would wake now
        #expect(screen.readKey() == .resize)
        #expect(screen.size == Size(rows: 20, cols: 60))
        p.revents = 0
        #expect(poll(&p, 1, 0) == 0)                          // readKey drained the wake-up

        screen.beginFrame()
        screen.put(row: 19, col: 50, text: "bottom-right corner text", style: .normal)
        screen.endFrame()
        #expect(pty.waitForOutput("bottom-ri"))   // the corner cell may be sent on its own
        #expect(!pty.written.contains("corner"))
    }

    @Test func gracefulTerminationWakesInsteadOfExiting() throws {
        let pty = try PseudoTerminal(rows: 24, cols: 80)
        defer { pty.close() }
        // What SIGTERM did before the screen (another suite in this process may have set it).
        var before = sigaction()
        sigaction(SIGTERM, nil, &before)
        let screen = try makeScreen(pty, graceful: true)
        #expect(screen.takeTerminationRequest() == nil)
        kill(getpid(), SIGTERM)                                 // first one: a request, not death
        var p = pollfd(fd: screen.wakeFileDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&p, 1, 10_000) == 1)
        #expect(screen.takeTerminationRequest() == SIGTERM)
        #expect(screen.takeTerminationRequest() == nil)
        screen.restore()

        // Dispositions are back to what they were before the screen.
        var action = sigaction()
        sigaction(SIGTERM, nil, &action)
        #expect(unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
                == unsafeBitCast(before.__sigaction_handler.sa_handler, to: Int.self))
    }

    @Test func onlyOneScreenAtATimeAndRestartable() throws {
        let pty = try PseudoTerminal(rows: 24, cols: 80)
        defer { pty.close() }
        let first = try makeScreen(pty)
        #expect(throws: CursesScreen.InitError.self) { try makeScreen(pty) }
        first.restore()
        let second = try makeScreen(pty)
        #expect(second.size == Size(rows: 24, cols: 80))
        second.restore()
    }

    @Test func honoursNoColorAndForcedDepth() throws {
        let pty = try PseudoTerminal(rows: 24, cols: 80)
        defer { pty.close() }
        let plain = try makeScreen(pty, environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        #expect(plain.capabilities.colorDepth == .noColor)
        #expect(plain.palette[.selected].attributes.contains(.reverse))
        plain.beginFrame()
        plain.put(row: 0, col: 0, text: "no colour", style: .denied)
        plain.endFrame()
        #expect(pty.waitForOutput("no colour"))
        plain.restore()
        #expect(!pty.written.contains("\u{1B}[38;5;"))         // no 256-colour SGR was ever sent

        let eight = try CursesScreen(options: .init(colorDepth: .ansi8, terminalType: "xterm-256color",
                                                    inputFD: pty.slave, outputFD: pty.slave,
                                                    environment: Self.environment))
        #expect(eight.capabilities.colorDepth == .ansi8)
        eight.apply(theme: try ThemeLoader(searchPaths: [Repo.path("themes")]).load("high-contrast"))
        #expect(eight.theme.name == "high-contrast")
        eight.restore()
    }

    @Test func refusesWhatIsNotATerminal() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(throws: CursesScreen.InitError.self) {
            try CursesScreen(options: .init(inputFD: fds[0], outputFD: fds[1]))
        }
        #expect(!TerminalGuard.isArmed)
    }
}

@Suite("CursesScreen thread confinement")
struct CursesThreadConfinementTests {
    /// ncurses is not thread-safe: touching the screen from another thread must stop the
    /// process at once (in a child process here), not corrupt the terminal later.
    @Test func callsFromAnotherThreadTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let pty = try PseudoTerminal(rows: 24, cols: 80)
            let screen = try CursesScreen(options: .init(terminalType: "xterm-256color", inputFD: pty.slave,
                                                         outputFD: pty.slave, environment: ["TERM": "xterm-256color"]))
            let box = UncheckedBox(screen)
            let thread = Thread { _ = box.value.size }
            thread.start()
            while true { sleep(1) }   // the other thread's call ends the process
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("called off the thread that created the screen"))
    }
}

/// Hands a non-Sendable value to another thread on purpose, to prove the runtime check.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
