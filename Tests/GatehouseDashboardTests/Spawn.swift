import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts processes for the end-to-end tests with posix_spawn, not Foundation's Process:
/// in its own process group (so the test can stop it and everything it started), with no
/// signals blocked or ignored (a test runner's threads block some, and children inherit
/// the mask, so SIGTERM and SIGWINCH would never arrive), and with only the descriptors
/// given (plus /dev/null for the rest of stdio).
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameters: `stdin`/`stdout`/`stderr`: descriptors to hand over as 0/1/2; nil is /dev/null.
    static func start(_ argv: [String], stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, target, mode) in [(stdin, STDIN_FILENO, O_RDONLY), (stdout, STDOUT_FILENO, O_WRONLY), (stderr, STDERR_FILENO, O_WRONLY)] {
            if let fd { posix_spawn_file_actions_adddup2(&actions, fd, target) }
            else { posix_spawn_file_actions_addopen(&actions, target, "/dev/null", mode, 0) }
        }
        // Nothing else of ours may leak into a child: a tmux server that inherits the test
        // runner's output pipe keeps `swift test` waiting for its end forever.
        if let sym = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(sym, to: CloseFrom.self)(&actions, 3)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, &cArgs, environ)
        guard rc == 0 else { throw Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Runs to completion; returns its exit status and what it wrote on stdout.
    static func run(_ argv: [String]) throws -> (status: Int32, output: String) {
        let path = NSTemporaryDirectory() + "gh-spawn-" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { unlink(path) }
        guard fd >= 0 else { throw Failure(description: "cannot create \(path)") }
        let pid: pid_t
        do { pid = try start(argv, stdout: fd) } catch {
            close(fd)
            throw error
        }
        close(fd)
        let status = wait(pid)
        let out = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return (status, out)
    }

    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Whether the process has exited (reaping it if so).
    static func exited(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Waits up to `patience` seconds for the process to end by itself, then asks it to
    /// (SIGTERM, so it can stop its own children), then kills its whole group.
    static func stop(_ pid: pid_t, patience: Double = 3, grace: Double = 5) {
        if waitForExit(pid, limit: patience) { return }
        kill(pid, SIGTERM)
        if waitForExit(pid, limit: grace) { return }
        kill(-pid, SIGKILL)
        _ = wait(pid)
    }

    static func waitForExit(_ pid: pid_t, limit: Double) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        repeat {
            if exited(pid) { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }
}
