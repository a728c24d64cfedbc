import Foundation
import Testing

// Helpers for the demo, setup and policy-init tests: the built binary, temporary directories,
// child processes whose output is read line by line, and waiting without timing anything.

/// Only a bound so that a bug hangs no test run; nothing asserts how long anything takes.
let patience: Double = 60

/// The `gatehouse` binary next to the test bundle (SwiftPM builds it with the tests), or $GATEHOUSE_BIN.
let gatehouseBinary: String = {
    if let env = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"], !env.isEmpty { return env }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = (exe as NSString).deletingLastPathComponent
    // Inside an .xctest bundle directory on some layouts: climb out of it.
    while dir.hasSuffix(".xctest") || dir.contains(".xctest/") { dir = (dir as NSString).deletingLastPathComponent }
    return dir + "/gatehouse"
}()

func requireBinary(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
    try #require(FileManager.default.isExecutableFile(atPath: gatehouseBinary),
                 "\(gatehouseBinary) is not built (run swift build, or set GATEHOUSE_BIN)", sourceLocation: sourceLocation)
    return gatehouseBinary
}

/// A fresh directory, removed when the value goes away.
final class ScratchDir: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/ghcli.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) throws -> String {
        let p = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    func list() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A child process whose stdout is collected line by line as it arrives.
///
/// Spawned here rather than with Foundation's Process so that the child inherits nothing but its
/// three pipes (every other descriptor is closed) and starts with default signal handling: tests
/// run side by side, and a long-lived child holding another test's pipe would keep that test
/// waiting for an end of file.
final class CLIProcess: @unchecked Sendable {
    let pid: pid_t
    let arguments: [String]
    private let stdinFD: Int32
    private let cond = NSCondition()
    private var lines: [String] = []
    private var errText = ""
    private var partial: [UInt8] = []
    private var closed = 0
    private var status: Int32?

    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self) }
    }()

    init(_ args: [String], executable: String = gatehouseBinary) throws {
        arguments = args
        func makePipe() throws -> (Int32, Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
            // Close-on-exec for other spawners; ours close every descriptor above 2 anyway.
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
        let input = try makePipe(), output = try makePipe(), error = try makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.0, 0)
        posix_spawn_file_actions_adddup2(&actions, output.1, 1)
        posix_spawn_file_actions_adddup2(&actions, error.1, 2)
        _ = Self.addCloseFrom?(&actions, 3)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, environ)
        for fd in [input.0, output.1, error.1] { close(fd) }
        guard rc == 0 else {
            for fd in [input.1, output.0, error.0] { close(fd) }
            throw POSIXError(.init(rawValue: rc) ?? .EIO)
        }
        let spawned = child
        pid = spawned
        stdinFD = input.1
        Thread.detachNewThread { [self] in drain(output.0, stdout: true) }
        Thread.detachNewThread { [self] in drain(error.0, stdout: false) }
        Thread.detachNewThread { [self] in
            var raw: Int32 = 0
            while waitpid(spawned, &raw, 0) < 0 && errno == EINTR {}
            let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            cond.lock()
            status = code
            cond.broadcast()
            cond.unlock()
        }
    }

    private func drain(_ fd: Int32, stdout: Bool) {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n < 0 && errno == EINTR { continue }
            cond.lock()
            defer { cond.broadcast(); cond.unlock() }
            if n <= 0 {
                closed += 1
                if stdout, !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
                close(fd)
                return
            }
            if stdout {
                partial += buf[0..<n]
                while let nl = partial.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: partial[..<nl], as: UTF8.self))
                    partial.removeSubrange(...nl)
                }
            } else {
                errText += String(decoding: buf[0..<n], as: UTF8.self)
            }
        }
    }

    var stdoutLines: [String] { cond.lock(); defer { cond.unlock() }; return lines }
    var stderrText: String { cond.lock(); defer { cond.unlock() }; return errText }
    var isRunning: Bool { cond.lock(); defer { cond.unlock() }; return status == nil }

    /// The first line satisfying `match`, waiting for it to be printed; nil if the output ends first.
    func waitForLine(_ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(patience)
        cond.lock()
        defer { cond.unlock() }
        while true {
            if let l = lines.first(where: match) { return l }
            if closed >= 2 || !cond.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the process to end and its output to drain; returns its exit status.
    @discardableResult
    func finish() -> Int32 {
        let deadline = Date().addingTimeInterval(patience)
        cond.lock()
        while status == nil || closed < 2, cond.wait(until: deadline) {}
        let done = status
        cond.unlock()
        if let done { return done }
        Issue.record("gatehouse \(arguments) did not finish; killing it")
        kill(pid, SIGKILL)
        cond.lock()
        while status == nil { cond.wait() }
        defer { cond.unlock() }
        return status!
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    func closeStdin() { close(stdinFD) }
}

/// Runs gatehouse to completion; returns (status, stdout, stderr).
func runGatehouse(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = try CLIProcess(args)
    p.closeStdin()
    let status = p.finish()
    return (status, p.stdoutLines.joined(separator: "\n"), p.stderrText)
}

/// Processes whose command line mentions `needle` (for "nothing left running" checks).
func processes(mentioning needle: String) -> [String] {
    let me = getpid()
    let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    return pids.filter { $0 != me }.compactMap { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        let cmd = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return cmd.contains(needle) ? "\(pid): \(cmd)" : nil
    }
}

/// Runs blocking work on its own thread, so waiting never ties up the test's task pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        let t = Thread { c.resume(with: Result { try body() }) }
        t.start()
    }
}
