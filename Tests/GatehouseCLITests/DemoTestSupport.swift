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
final class CLIProcess: @unchecked Sendable {
    let process = Process()
    private let out = Pipe()
    private let err = Pipe()
    private let stdinPipe = Pipe()
    private let cond = NSCondition()
    private var lines: [String] = []
    private var errText = ""
    private var partial = Data()
    private var closed = 0

    init(_ args: [String], executable: String = gatehouseBinary) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdinPipe
        out.fileHandleForReading.readabilityHandler = { [weak self] h in self?.take(h.availableData, stdout: true) }
        err.fileHandleForReading.readabilityHandler = { [weak self] h in self?.take(h.availableData, stdout: false) }
        try process.run()
    }

    private func take(_ data: Data, stdout: Bool) {
        cond.lock()
        defer { cond.broadcast(); cond.unlock() }
        if data.isEmpty {
            closed += 1
            (stdout ? out : err).fileHandleForReading.readabilityHandler = nil
            if stdout, !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
            return
        }
        if !stdout {
            errText += String(decoding: data, as: UTF8.self)
            return
        }
        partial.append(data)
        while let nl = partial.firstIndex(of: 0x0A) {
            lines.append(String(decoding: partial[partial.startIndex..<nl], as: UTF8.self))
            partial = Data(partial[partial.index(after: nl)...])
        }
    }

    var stdoutLines: [String] { cond.lock(); defer { cond.unlock() }; return lines }
    var stderrText: String { cond.lock(); defer { cond.unlock() }; return errText }

    /// The first line satisfying `match`, waiting for it to be printed; nil if the process ends first.
    func waitForLine(_ match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(patience)
        cond.lock()
        defer { cond.unlock() }
        while true {
            if let l = lines.first(where: match) { return l }
            if closed >= 2 || !cond.wait(until: deadline) { return nil }
        }
    }

    /// Waits for the process to end and both pipes to drain; returns its exit status.
    @discardableResult
    func finish() -> Int32 {
        let deadline = Date().addingTimeInterval(patience)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("gatehouse \(process.arguments ?? []) did not finish; killing it")
            process.terminate()
        }
        process.waitUntilExit()
        cond.lock()
        while closed < 2, cond.wait(until: deadline) {}
        cond.unlock()
        return process.terminationStatus
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    func closeStdin() { try? stdinPipe.fileHandleForWriting.close() }
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
