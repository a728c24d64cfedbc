import Foundation

/// A tmux server of our own (its own socket, so nothing else's sessions are touched) with
/// one session running a command in a fixed-size window; the test reads the screen with
/// capture-pane and types with send-keys. `kill()` ends the server and everything in it.
final class Tmux {
    let socket = "gh-test-" + String(UUID().uuidString.prefix(8))
    let session = "dash"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || which("tmux") != nil }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    init(command: String, cols: Int = 120, rows: Int = 40) throws {
        let started = try run(["new-session", "-d", "-x", "\(cols)", "-y", "\(rows)", "-s", session, command])
        guard started.status == 0 else { throw Spawn.Failure(description: "tmux new-session failed (\(started.status))") }
        _ = try? run(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, output: String) {
        try Spawn.run([Self.which("tmux") ?? "/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + args)
    }

    /// The screen as text.
    func capture() -> String { (try? run(["capture-pane", "-p", "-t", session]))?.output ?? "" }

    /// Keys as tmux names them: "a", "Enter", "Escape", "C-a"; literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) {
        _ = try? run(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// Waits until the screen satisfies `condition`; false if it never does within the limit.
    func wait(limit: Double = 20, for condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if condition(capture()) { return true }
            usleep(100_000)
        }
        return condition(capture())
    }

    func wait(limit: Double = 20, for text: String) -> Bool { wait(limit: limit) { $0.contains(text) } }

    func kill() { _ = try? run(["kill-server"]) }
}
