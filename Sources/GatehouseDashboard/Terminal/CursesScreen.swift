import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The real terminal, through ncurses (wide-character build).
///
/// Threading: ncurses is not thread-safe. A `CursesScreen` belongs to the thread that
/// created it; every method checks this and traps on any other thread. Keep the UI on
/// one thread and hand data to it (the event loop polls `inputFileDescriptor` and
/// `wakeFileDescriptor` together with its sockets). Only one may exist at a time.
///
/// Lifecycle: `init` takes the terminal (alternate screen, no echo, keypad, colours,
/// mouse); `restore()` gives it back and is safe to call any number of times from every
/// exit path. If the process dies another way, `TerminalGuard` restores the terminal.
public final class CursesScreen: Screen {
    public struct Options: Sendable {
        public var theme: Theme
        /// Report mouse presses and wheel steps as `Key.mouse` (selecting text with the
        /// mouse then needs Shift in most terminals).
        public var mouse: Bool
        /// Let the event loop handle SIGINT/SIGTERM/SIGHUP/SIGQUIT: the first one only sets
        /// `terminationRequest` and wakes `wakeFileDescriptor`. Off: restore and exit at once.
        public var gracefulTermination: Bool
        /// Forces a colour depth (e.g. from a `--colors` flag); nil detects it.
        public var colorDepth: ColorDepth?
        /// terminfo entry to use instead of $TERM.
        public var terminalType: String?
        /// Terminal file descriptors; default stdin/stdout. Tests pass a pseudo-terminal.
        public var inputFD: Int32
        public var outputFD: Int32
        /// Environment to detect capabilities from (TERM, NO_COLOR, COLORTERM); nil reads
        /// the process's. The locale always comes from the process (setlocale).
        public var environment: [String: String]?

        public init(theme: Theme = .default, mouse: Bool = true, gracefulTermination: Bool = false,
                    colorDepth: ColorDepth? = nil, terminalType: String? = nil,
                    inputFD: Int32 = STDIN_FILENO, outputFD: Int32 = STDOUT_FILENO,
                    environment: [String: String]? = nil) {
            self.theme = theme
            self.mouse = mouse
            self.gracefulTermination = gracefulTermination
            self.colorDepth = colorDepth
            self.terminalType = terminalType
            self.inputFD = inputFD
            self.outputFD = outputFD
            self.environment = environment
        }
    }

    public enum InitError: Error, CustomStringConvertible {
        case notATerminal
        case unknownTerminal(String)
        case alreadyActive

        public var description: String {
            switch self {
            case .notATerminal: "the dashboard needs a terminal: standard input and output must be a tty"
            case .unknownTerminal(let t): "cannot start the terminal: no usable terminfo entry for TERM='\(t)'"
            case .alreadyActive: "a CursesScreen is already active in this process"
            }
        }
    }

    public let capabilities: TerminalCapabilities
    public let glyphs: Glyphs
    public private(set) var palette: TerminalPalette
    public var theme: Theme { palette.theme }
    /// The terminal's input, for poll(2) together with sockets; readable means `readKey()`.
    public let inputFileDescriptor: Int32
    /// Readable after a resize or a graceful termination request; see `TerminalGuard`.
    public var wakeFileDescriptor: Int32 { TerminalGuard.wakeFileDescriptor }

    private let confinement = ThreadConfinement()
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>  // stdscr; resizeterm resizes it in place
    private let inFile: UnsafeMutablePointer<FILE>
    private let outFile: UnsafeMutablePointer<FILE>
    private var styles: CursesStyleTable
    private var restored = false
    private var cursorRequest: (row: Int, col: Int)?
    private var cursorVisible = false
    private let mouse: Bool

    private static let active = Atomic<Bool>(false)

    public init(options: Options = Options()) throws {
        guard isatty(options.inputFD) == 1, isatty(options.outputFD) == 1 else { throw InitError.notATerminal }
        guard !Self.active.exchange(true, ordering: .acquiringAndReleasing) else { throw InitError.alreadyActive }
        var claimed = true
        defer { if claimed { Self.active.store(false, ordering: .releasing) } }

        let environment = options.environment ?? Self.processEnvironment()
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""

        var shellTermios = termios()
        tcgetattr(options.outputFD, &shellTermios)

        // Private FILE streams over duplicated fds: newterm needs FILE*, and closing ours
        // later must not close the caller's stdin/stdout.
        guard let inFile = fdopen(dup(options.inputFD), "r"), let outFile = fdopen(dup(options.outputFD), "w") else {
            throw InitError.notATerminal
        }
        let termName = options.terminalType ?? environment["TERM"] ?? "xterm"
        TerminalGuard.saveDispositions()
        guard let screen = newterm(termName, outFile, inFile) else {
            fclose(inFile); fclose(outFile)
            throw InitError.unknownTerminal(termName)
        }
        set_term(screen)
        self.screen = screen
        self.window = gh_stdscr()!  // newterm succeeded, so stdscr exists
        self.inFile = inFile
        self.outFile = outFile
        self.inputFileDescriptor = options.inputFD

        set_escdelay(25)  // Esc must feel instant; 25 ms still joins real escape sequences
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        intrflush(window, false)
        curs_set(0)
        Self.disableFlowControl(fd: options.outputFD)

        var caps = TerminalCapabilities.detect(
            environment: environment, terminfoColors: Int(tigetnum("colors")),
            terminfoDirectColor: tigetflag("RGB") == 1, codeset: codeset)
        if let forced = options.colorDepth { caps.colorDepth = forced }
        var colorsAvailable = false
        if caps.colorDepth > .noColor, has_colors() {
            start_color()
            use_default_colors()  // -1 = the terminal's own colours; keeps its background
            colorsAvailable = true
        } else {
            caps.colorDepth = .noColor
        }
        self.capabilities = caps
        self.glyphs = caps.glyphs
        self.palette = TerminalPalette(theme: options.theme, depth: caps.colorDepth)
        self.styles = CursesStyleTable(palette: palette, colorsAvailable: colorsAvailable)

        self.mouse = options.mouse
        if options.mouse {
            // Reports are decoded here (see readMouseReport); ncurses only has to turn
            // their prefix into KEY_MOUSE, whatever its terminfo entry calls the mouse.
            mousemask(0, nil)
            define_key("\u{1B}[<", KEY_MOUSE)
            writeToTerminal(CursesKeyDecoder.mouseOn)
        }
        applyBackground()
        TerminalGuard.arm(ttyFD: options.outputFD, shellTermios: shellTermios,
                          resetSequence: Self.resetSequence(mouse: options.mouse),
                          suspendSequence: options.mouse ? CursesKeyDecoder.mouseOff : "",
                          resumeSequence: options.mouse ? CursesKeyDecoder.mouseOn : "",
                          gracefulTermination: options.gracefulTermination)
        claimed = false
    }

    deinit {
        if confinement.isOwnerThread {
            restore()
        } else {
            // Cannot touch curses from here; at least give the terminal back.
            TerminalGuard.emergencyRestore()
            Self.active.store(false, ordering: .releasing)
        }
    }

    // MARK: Screen

    public var size: Size {
        confinement.check()
        return Size(rows: Int(gh_getmaxy(window)), cols: Int(gh_getmaxx(window)))
    }

    public func beginFrame() {
        confinement.check()
        cursorRequest = nil
        werase(window)
    }

    public func endFrame() {
        confinement.check()
        if let c = cursorRequest {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(window, Int32(c.row), Int32(c.col))
        } else if cursorVisible {
            curs_set(0); cursorVisible = false
        }
        wnoutrefresh(window)
        doupdate()
    }

    @discardableResult
    public func put(row: Int, col: Int, text: String, style: Style) -> Int {
        confinement.check()
        let cells = TerminalText.cells(text, asciiOnly: !capabilities.utf8)
        let end = col + cells.reduce(0) { $0 + $1.width }
        let s = size
        guard row >= 0, row < s.rows else { return end }
        let entry = styles[style]
        var cc = cchar_t()
        for p in TerminalText.clip(cells, from: col, limit: s.cols) {
            var wide = p.cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
            wide.append(0)
            setcchar(&cc, wide, entry.attributes, entry.pair, nil)
            // Writing the bottom-right cell reports ERR (the cursor cannot advance) but draws.
            mvwadd_wch(window, Int32(row), Int32(p.col), &cc)
        }
        return end
    }

    public func fill(_ rect: Rect, with character: Character, style: Style) {
        confinement.check()
        fillByRows(rect, with: character, style: style)
    }

    public func placeCursor(row: Int, col: Int) {
        confinement.check()
        let s = size
        guard row >= 0, row < s.rows, col >= 0, col < s.cols else { return }
        cursorRequest = (row, col)
    }

    /// Makes the next frame repaint every cell (Ctrl-L: something else wrote on the
    /// terminal and curses' idea of the screen is wrong).
    public func forceFullRedraw() {
        confinement.check()
        clearok(window, true)
    }

    // MARK: Input

    /// The next key, or nil when none is waiting (never blocks, except up to ESCDELAY to
    /// tell a lone Esc from an escape sequence). Call until nil after the input fd polls
    /// readable. A resize arrives as `.resize`; draw a new frame then.
    public func readKey() -> Key? {
        confinement.check()
        TerminalGuard.drainWakePipe()
        while true {
            var wch: wint_t = 0
            let result = wget_wch(window, &wch)
            if result == ERR { return nil }
            if result == KEY_CODE_YES && Int32(bitPattern: wch) == KEY_MOUSE {
                if let key = readMouseReport() { return key }
                continue
            }
            if let key = CursesKeyDecoder.decode(UInt32(wch), isKeyCode: result == KEY_CODE_YES) {
                return key
            }
        }
    }

    /// Reads the rest of an SGR mouse report after its `ESC [ <` prefix (which the keypad
    /// trie turned into KEY_MOUSE). The report arrives in one write, so its bytes are
    /// already buffered; a malformed one is dropped after at most 16 characters.
    ///
    /// ncurses' own mouse decoding is not used: when it discards an event (a release, a
    /// press and release arriving together) it reads on with a blocking read, even in
    /// nodelay mode, and the dashboard would freeze until the next key.
    private func readMouseReport() -> Key? {
        var body = ""
        for _ in 0..<16 {
            var wch: wint_t = 0
            guard wget_wch(window, &wch) == OK, let scalar = Unicode.Scalar(UInt32(wch)) else { return nil }
            body.unicodeScalars.append(scalar)
            if scalar == "M" || scalar == "m" { return CursesKeyDecoder.decodeSGRMouse(body) }
        }
        return nil
    }

    /// The signal that asked the dashboard to quit (with `gracefulTermination`), if any.
    public func takeTerminationRequest() -> Int32? {
        TerminalGuard.takeTerminationRequest()
    }

    // MARK: Theme

    /// Switches theme at run time; the next frame uses it.
    public func apply(theme: Theme) {
        confinement.check()
        palette = TerminalPalette(theme: theme, depth: capabilities.colorDepth)
        styles = CursesStyleTable(palette: palette, colorsAvailable: capabilities.colorDepth > .noColor)
        applyBackground()
    }

    // MARK: Restore

    /// Gives the terminal back to the shell (endwin). Idempotent; call it on every way out.
    public func restore() {
        confinement.check()
        guard !restored else { return }
        restored = true
        if mouse { writeToTerminal(CursesKeyDecoder.mouseOff) }
        endwin()
        delscreen(screen)
        fclose(inFile)
        fclose(outFile)
        TerminalGuard.disarm()
        Self.active.store(false, ordering: .releasing)
    }

    // MARK: Helpers

    /// Erased cells take `normal`'s colours, so a theme's own background fills the screen.
    private func applyBackground() {
        let entry = styles[.normal]
        var cc = cchar_t()
        let space: [wchar_t] = [0x20, 0]
        setcchar(&cc, space, entry.attributes, entry.pair, nil)
        wbkgrndset(window, &cc)
    }

    /// Sends a mode sequence straight away; drawing order does not matter for modes.
    private func writeToTerminal(_ text: String) {
        fputs(text, outFile)
        fflush(outFile)
    }

    /// ^S/^Q would otherwise freeze and unfreeze the output of a live dashboard.
    private static func disableFlowControl(fd: Int32) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return }
        t.c_iflag &= ~tcflag_t(IXON)
        tcsetattr(fd, TCSANOW, &t)
        def_prog_mode()  // make curses treat this as its program mode
    }

    /// What the emergency restore writes: leave the alternate screen, keypad mode and
    /// mouse reporting, reset attributes, show the cursor.
    private static func resetSequence(mouse: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        for cap in ["sgr0", "rmkx", "rmcup", "cnorm"] {
            if let s = tigetstr(cap), Int(bitPattern: s) != -1 {
                bytes += Array(String(cString: s).utf8)
            }
        }
        if mouse {
            bytes += Array(CursesKeyDecoder.mouseOff.utf8)
        }
        return bytes
    }

    private static func processEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }
}
