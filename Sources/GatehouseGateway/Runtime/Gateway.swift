import Foundation
import GatehouseCore
import GatehouseTransport
import Logging
import Synchronization

/// One running gateway: the MCP client on stdin/stdout, the upstream as a child process,
/// the control socket, the policy watcher. `run()` returns when the client hangs up.
public final class Gateway: Sendable {
    public static let version = "0.1.0"

    public enum StartError: Error, CustomStringConvertible {
        case policy(LoadedPolicy.Failure)
        case state(String, String)
        case control(String, String)
        case noUpstream

        public var description: String {
            switch self {
            case .policy(let f): "the policy cannot be used; the gateway will not start without one:\n\(f.description)"
            case .state(let dir, let why): "cannot open the state directory \(dir): \(why)"
            case .control(let path, let why): "cannot open the control socket \(path): \(why)"
            case .noUpstream: "no upstream command: give it after --, e.g. gatehouse serve --policy p.json -- mcp-server-time"
            }
        }
    }

    public let options: GatewayOptions
    public let enforcer: Enforcer
    let control: ControlServer
    let log: Logger
    let input: Int32
    let output: FDWriter
    private let child = Locked<ChildProcess?>(nil)
    private let watcher = Locked<PolicyWatcher?>(nil)
    private let signals = Locked<[any DispatchSourceSignal]>([])
    private let queue = DispatchQueue(label: "gatehouse.gateway")
    private let shutdownOnce = Locked(false)
    /// Checkpoints the WAL off the call path; nil if it could not start (SQLite then checkpoints inline).
    private let checkpointer: WALCheckpointer?

    /// Builds the gateway without starting anything; `input`/`output` default to stdin/stdout.
    public init(options: GatewayOptions, logger: Logger, input: Int32 = 0, output: Int32 = 1, clock: WallClock = .system) throws {
        guard !options.upstream.isEmpty else { throw StartError.noUpstream }
        self.options = options
        self.log = logger
        self.input = input
        let out = FDWriter(fileDescriptor: output, ownsDescriptor: false)
        self.output = out
        let now = clock.now()
        let policy: LoadedPolicy
        do { policy = try LoadedPolicy.read(path: options.policyPath, now: now) } catch { throw StartError.policy(error) }
        for w in policy.warnings { logger.warning("\(w.description)") }
        let store: StateStore
        do { store = try StateStore(directory: options.stateDirectory) } catch {
            throw StartError.state(options.stateDirectory, "\(error)")
        }
        checkpointer = try? WALCheckpointer(store: store)
        let info = GatewayInfo(
            name: options.name, pid: getpid(), upstream: options.upstream, startedAt: now, grant: options.grant,
            user: Transport.userName(uid: Transport.currentUID) ?? "uid \(Transport.currentUID)", version: Self.version)
        let childBox = child
        let log = logger
        let outputs = Enforcer.Outputs(
            toClient: { bytes in
                do { try out.writeLine(bytes) } catch { log.debug("client is gone: \(error)") }
            },
            toUpstream: { bytes in
                guard let c = childBox.withLock({ $0 }) else { return false }
                do {
                    try c.stdin.writeLine(bytes)
                    return true
                } catch {
                    return false
                }
            })
        var session = SystemRandomNumberGenerator()
        let config = Enforcer.Config(gateway: info, session: String((session.next() as UInt32), radix: 16),
                                     auditArguments: options.auditArguments, progressInterval: options.progressInterval)
        enforcer = try Enforcer(config: config, policy: policy, store: store, counters: SQLiteCounterStore(store: store),
                                hub: EventHub(), clock: clock, outputs: outputs, logger: logger)
        let enforcerRef = enforcer
        let path = options.policyPath
        control = ControlServer(path: options.controlPath, enforcer: enforcer, logger: logger) { by in
            Self.reload(path: path, enforcer: enforcerRef, clock: clock, by: by)
        }
        logger.info("policy \(options.policyPath): default \(policy.policy.defaultAction), \(policy.policy.tools.count) tool rules")
    }

    static func reload(path: String, enforcer: Enforcer, clock: WallClock, by: String) -> Result<ReloadResult, LoadedPolicy.Failure> {
        do {
            let loaded = try LoadedPolicy.read(path: path, now: clock.now())
            enforcer.reload(loaded, by: by)
            return .success(ReloadResult(policy: loaded.summary, warnings: loaded.warnings.map(\.description)))
        } catch {
            enforcer.rejectReload(error)
            return .failure(error)
        }
    }

    /// Serves until the client closes stdin (or SIGTERM/SIGINT); returns the exit code.
    public func run() -> Int32 {
        Transport.ignoreSIGPIPE()
        // Before anything else exists: a SIGTERM that arrives while the gateway starts must still
        // stop the upstream and remove the socket, never kill the gateway and orphan them.
        installSignalHandlers()
        do {
            try control.start()
            log.info("control socket \(options.controlPath)")
        } catch {
            log.critical("\(StartError.control(options.controlPath, "\(error)").description)")
            return 1
        }
        startUpstream()
        startWatching()

        let reader = LineReader(fileDescriptor: input, maxLineSize: options.maxMessageBytes)
        while true {
            let event: LineEvent?
            do { event = try reader.next() } catch {
                log.error("reading from the client failed: \(error)")
                break
            }
            guard let event else { break }
            switch event {
            case .line(let bytes): enforcer.handleClientLine(bytes)
            case .tooLong(let n): enforcer.handleClientTooLong(n, limit: options.maxMessageBytes)
            }
        }
        shutdown(reason: "the client closed the connection")
        return 0
    }

    private func startUpstream() {
        let cmd = options.upstream
        do {
            let c = try ChildProcess.spawn(cmd[0], arguments: Array(cmd.dropFirst()), maxLineSize: options.maxMessageBytes)
            child.withLock { $0 = c }
            log.info("upstream started: \(cmd.joined(separator: " ")) (pid \(c.pid))")
            let t = Thread { [self] in pumpUpstream(c) }
            t.name = "gatehouse-upstream"
            t.start()
        } catch {
            enforcer.upstreamExited("failed to start (\(cmd.joined(separator: " "))): \(error)")
        }
    }

    private func pumpUpstream(_ c: ChildProcess) {
        while true {
            let event: LineEvent?
            do { event = try c.stdout.next() } catch {
                log.error("reading from the upstream failed: \(error)")
                break
            }
            guard let event else { break }
            switch event {
            case .line(let bytes): enforcer.handleUpstreamLine(bytes)
            case .tooLong(let n): enforcer.handleUpstreamTooLong(n, limit: options.maxMessageBytes)
            }
        }
        let status = c.waitForExit(timeout: .seconds(2)).map { "exited (\($0))" } ?? "closed its output"
        if !shutdownOnce.withLock({ $0 }) { enforcer.upstreamExited(status) }
    }

    private func startWatching() {
        guard options.watchInterval > 0 else { return }
        let path = options.policyPath
        let e = enforcer
        watcher.withLock {
            $0 = PolicyWatcher(path: path, interval: options.watchInterval, queue: queue) {
                _ = Self.reload(path: path, enforcer: e, clock: .system, by: "file change")
            }
        }
    }

    private func installSignalHandlers() {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            src.setEventHandler { [self] in
                if sig == SIGHUP {
                    log.notice("SIGHUP: reloading the policy")
                    _ = Self.reload(path: options.policyPath, enforcer: enforcer, clock: .system, by: "SIGHUP")
                } else {
                    shutdown(reason: sig == SIGTERM ? "SIGTERM" : "SIGINT")
                    exit(0)
                }
            }
            src.resume()
            sources.append(src)
        }
        signals.withLock { $0 = sources }
    }

    /// Stops everything this gateway started. Safe to call more than once.
    public func shutdown(reason: String) {
        let first = shutdownOnce.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        log.info("shutting down: \(reason)")
        enforcer.clientClosed()
        watcher.withLock { $0?.cancel() }
        if let c = child.withLock({ $0 }) {
            c.closeStdin()
            if c.waitForExit(timeout: .seconds(2)) == nil { _ = c.terminate(grace: .seconds(3)) }
        }
        enforcer.abandonInFlight("the gateway shut down (\(reason)) before the upstream answered")
        control.stop()
        enforcer.hub.closeAll()
        // The journal's last entries into SQLite, then its file deleted.
        enforcer.store?.close()
        checkpointer?.stop()
    }
}
