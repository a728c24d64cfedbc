#if canImport(Glibc)
import Glibc
#endif

/// A child process with its stdin and stdout connected to us through pipes and its stderr
/// shared with ours, so the upstream server's diagnostics pass straight through.
///
/// Started with posix_spawnp (PATH lookup as execvp does, using our own PATH). In the
/// child, every descriptor but 0, 1 and 2 is closed, all signals are back at their default
/// action and none is blocked, whatever this process had set up.
///
/// Process group: by default the child leads a new process group. Upstream MCP servers
/// are often wrappers (`npx`, `uvx`, `sh -c`) whose own children hold the stdout pipe;
/// signalling the whole group is the only way `terminate` reliably ends them all. The
/// price is that terminal-generated signals (Ctrl-C) no longer reach the child directly:
/// the gateway forwards its own shutdown through `terminate`, and if it dies without
/// that, the child still sees end of file on stdin, which ends every well-behaved MCP server.
///
/// A dedicated thread waits for the child, so it is always reaped, even if nobody asks.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let command: String
    /// Whether signals go to the child's whole process group.
    public let ownsProcessGroup: Bool
    /// The child's standard input. `closeStdin()` or `stdin.close()` sends it end of file.
    public let stdin: FDWriter
    /// The child's standard output, split into lines.
    public let stdout: LineReader

    private let exit: Completion<ChildExitStatus>
    /// Set by the waiter just before it reaps: signals must not go to a pid the kernel may reuse.
    private let reaped = Locked(false)

    /// The read end of the child's stdout, e.g. for a `Poller`.
    public var stdoutDescriptor: Int32 { stdout.fileDescriptor }

    private init(pid: pid_t, command: String, ownsProcessGroup: Bool, stdin: FDWriter, stdout: LineReader) {
        self.pid = pid
        self.command = command
        self.ownsProcessGroup = ownsProcessGroup
        self.stdin = stdin
        self.stdout = stdout
        exit = Completion()
    }

    /// Starts `command` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; nil inherits ours.
    ///   - newProcessGroup: see the type's documentation; true unless you have a reason.
    ///   - maxLineSize: the limit of the `stdout` reader.
    /// - Throws: `.commandNotFound`, `.commandNotExecutable`, `.spawnFailed`.
    public static func spawn(
        _ command: String,
        arguments: [String] = [],
        environment: [String: String]? = nil,
        newProcessGroup: Bool = true,
        maxLineSize: Int = LineReader.defaultMaxLineSize
    ) throws -> ChildProcess {
        guard !command.isEmpty else { throw TransportError.commandNotFound(command) }
        Transport.ignoreSIGPIPE()
        let input = try makePipe()
        let output: (read: Int32, write: Int32)
        do {
            output = try makePipe()
        } catch {
            close(input.read)
            close(input.write)
            throw error
        }
        let pid: pid_t
        do {
            pid = try spawnProcess(command, arguments, environment, newProcessGroup, stdin: input.read, stdout: output.write)
        } catch {
            for fd in [input.read, input.write, output.read, output.write] { close(fd) }
            throw error
        }
        // The child's ends belong to the child now; keeping them would hide its end of file.
        close(input.read)
        close(output.write)

        let child = ChildProcess(
            pid: pid,
            command: command,
            ownsProcessGroup: newProcessGroup,
            stdin: FDWriter(descriptor: Descriptor(input.write, owned: true, isSocket: false)),
            stdout: LineReader(descriptor: Descriptor(output.read, owned: true, isSocket: false), maxLineSize: maxLineSize)
        )
        child.startWaiter()
        return child
    }

    private func startWaiter() {
        let pid = pid
        let exit = exit
        let reaped = reaped
        let wait: @Sendable () -> Void = {
            // Wait without reaping, so the pid stays ours while `signal` may still use it.
            var info = siginfo_t()
            let waited = retryingEINTR { waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) }
            let status: ChildExitStatus = reaped.withLock { reaped in
                reaped = true
                guard waited == 0 else { return .unknown }
                var raw: Int32 = 0
                guard retryingEINTR({ waitpid(pid, &raw, 0) }) == pid else { return .unknown }
                return ChildExitStatus(waitStatus: raw)
            }
            exit.complete(status)
        }
        do {
            try NativeThread.detach(name: "gh-wait-\(pid)", wait)
        } catch {
            // Without a thread we still must reap; block the caller rather than leak a zombie later.
            wait()
        }
    }

    /// The exit status if the child has exited and been reaped, else nil.
    public var exitStatus: ChildExitStatus? { exit.current }

    /// Blocks until the child exits.
    @discardableResult
    public func waitForExit() -> ChildExitStatus { exit.wait() }

    /// Blocks until the child exits or `timeout` passes (then nil).
    public func waitForExit(timeout: Duration) -> ChildExitStatus? { exit.wait(timeout: timeout) }

    /// Suspends until the child exits, without tying up a thread.
    public func exited() async -> ChildExitStatus {
        await withCheckedContinuation { continuation in
            exit.onComplete { continuation.resume(returning: $0) }
        }
    }

    /// Calls `handler` once with the exit status: on the waiter thread, or right away if
    /// the child already exited.
    public func onExit(_ handler: @escaping @Sendable (ChildExitStatus) -> Void) {
        exit.onComplete(handler)
    }

    /// Sends `signal` to the child (to its process group when it has its own), unless it
    /// has already exited. Returns false if nothing was sent.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool {
        reaped.withLock { reaped in
            guard !reaped else { return false }
            return kill(ownsProcessGroup ? -pid : pid, signal) == 0
        }
    }

    /// Sends SIGTERM, waits up to `grace` for the child to exit, then sends SIGKILL and
    /// waits for it to die. Returns how it ended. The gateway may first close stdin and
    /// give the child a moment, which is the gentler MCP shutdown.
    @discardableResult
    public func terminate(grace: Duration = .seconds(5)) -> ChildExitStatus {
        if let status = exit.current { return status }
        signal(SIGTERM)
        if let status = exit.wait(timeout: grace) { return status }
        signal(SIGKILL)
        return exit.wait()
    }

    /// Closes the child's stdin, which tells an MCP server to shut down.
    public func closeStdin() {
        stdin.close()
    }
}

/// posix_spawnp with our stdio wiring; returns the pid or throws a readable error.
private func spawnProcess(
    _ command: String, _ arguments: [String], _ environment: [String: String]?, _ newProcessGroup: Bool,
    stdin: Int32, stdout: Int32
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Both descriptors are >= 3 (see makePipe), so the dup2s cannot clobber each other.
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    if let addCloseFrom = GNU.addCloseFrom {
        // Our descriptors are close-on-exec anyway; this also catches ones other libraries leaked.
        _ = addCloseFrom(&actions, 3)
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if newProcessGroup {
        flags |= POSIX_SPAWN_SETPGROUP
        posix_spawnattr_setpgroup(&attributes, 0)
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    // SIGPIPE in particular: we ignore it, and an ignored disposition survives exec.
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)

    let argv = CStringArray([command] + arguments)
    let envp = environment.map { CStringArray($0.map { "\($0.key)=\($0.value)" }) }
    defer {
        argv.free()
        envp?.free()
    }

    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, command, &actions, &attributes, argv.pointers, envp?.pointers ?? environ)
    switch rc {
    case 0: return pid
    case ENOENT, ENOTDIR: throw TransportError.commandNotFound(command)
    case EACCES, EPERM: throw TransportError.commandNotExecutable(command)
    default: throw TransportError.spawnFailed(command: command, errno: rc)
    }
}

/// A NULL-terminated array of C strings that lives until `free()`.
private struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    func free() {
        var index = 0
        while let string = pointers[index] {
            Glibc.free(string)
            index += 1
        }
        pointers.deallocate()
    }
}
