import Foundation
import GatehouseControl
import GatehouseCore

/// The event loop. One thread (the caller's) does everything visible: it waits in one
/// poll on the terminal, the terminal's wake pipe, the connector's wake pipe and every
/// gateway socket; feeds what arrives to the model; runs the model's commands against
/// the right gateway; and draws at most `maxFPS` frames a second. The poll times out only
/// for the once-a-second tick (countdowns), reconnects, rescans and the next frame.
final class DashboardApp<Terminal: DashboardTerminal> {
    let terminal: Terminal
    let options: DashboardOptions
    private(set) var state: DashboardState
    private var links: [GatewayID: GatewayLink] = [:]
    private let connector: Connector
    private var pacer = FramePacer(maxFPS: 30)
    private let backoff = Backoff()
    private var nextScan = 0.0
    private var lastTickSecond = 0
    private var exitCode: Int32?
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// Frames drawn (for tests and the benchmark).
    private(set) var frames = 0

    init(terminal: Terminal, options: DashboardOptions) {
        self.terminal = terminal
        self.options = options
        state = DashboardState(options: .init(readOnly: options.readOnly, historyCapacity: options.historyCapacity))
        connector = Connector(clientName: options.clientName)
        start = clock.now
    }

    /// Monotonic seconds since the loop started (pacing, retries).
    private var mono: Double {
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Wall-clock seconds since the epoch (the model's time: countdowns against gateway times).
    private var wall: Double { Date().timeIntervalSince1970 }

    func run() -> Int32 {
        prepare()
        while exitCode == nil {
            step(maxWait: nil)
        }
        finish()
        return exitCode ?? 0
    }

    /// Attaches the gateways given on the command line.
    func prepare() {
        for path in options.sockets { addLink(path) }
    }

    func finish() {
        for link in links.values { link.close() }
    }

    /// Set once the operator quit or a signal asked to.
    var finished: Int32? { exitCode }

    /// One turn of the loop: start what is due, draw if due, wait, handle what arrived.
    /// `maxWait` caps the wait (tests).
    func step(maxWait: Double?) {
        let now = mono
        if options.watchesDirectory, now >= nextScan {
            rescan()
            nextScan = now + 1
        }
        for link in links.values where link.client == nil && !link.connecting && now >= link.nextAttempt {
            link.connecting = true
            connector.connect(link.id)
            apply(.connecting(link.id))
        }
        if pacer.due(at: now) { draw(at: now) }

        var timeout = 1 - wall.truncatingRemainder(dividingBy: 1) + 0.001  // the next whole second
        if options.watchesDirectory { timeout = min(timeout, nextScan - now) }
        for link in links.values where link.client == nil && !link.connecting { timeout = min(timeout, link.nextAttempt - now) }
        if let frame = pacer.wait(at: now) { timeout = min(timeout, frame) }
        if let maxWait { timeout = min(timeout, maxWait) }

        let input = terminal.inputFileDescriptor, termWake = terminal.wakeFileDescriptor
        var fds = [input, connector.wake.readFD]
        if termWake >= 0 { fds.append(termWake) }
        let sockets = links.values.compactMap { l in l.fileDescriptor.map { (fd: $0, link: l) } }
        fds += sockets.map(\.fd)
        let ready = PollSet.wait(fds, timeout: max(0, timeout))

        if let sig = terminal.takeTerminationRequest() {
            exitCode = 128 + sig
            return
        }
        // Keys first: whatever the gateways are sending, the operator's keys are never queued behind it.
        if ready[input] != nil || (termWake >= 0 && ready[termWake] != nil) { readKeys() }
        if ready[connector.wake.readFD] != nil { finishConnects() }
        for (fd, link) in sockets where ready[fd] != nil { read(link) }

        let second = Int(wall)
        if second != lastTickSecond {
            lastTickSecond = second
            apply(.tick)
        }
    }

    // MARK: Input

    private func readKeys() {
        while let key = terminal.readKey() {
            if key == .resize { pacer.invalidate() }
            apply(.key(key))
            if exitCode != nil { return }
        }
    }

    private func read(_ link: GatewayLink) {
        guard let client = link.client else { return }
        let messages: [ControlMessage]?
        do {
            messages = try client.available()
        } catch {
            lose(link, reason: "\(error)")
            return
        }
        guard let messages else {
            lose(link, reason: "the gateway closed the connection")
            return
        }
        for m in messages {
            switch m {
            case .event(let e): apply(.event(link.id, e))
            case .resync(let r): apply(.resync(link.id, r))
            case .response(let id, let result):
                guard let input = link.answer(id: id, result) else { continue }
                if case .snapshot = input { link.failures = 0 }
                if case .disconnected(_, let reason, _) = input {
                    lose(link, reason: reason)
                    return
                }
                apply(input)
            }
        }
    }

    // MARK: Gateways

    private func addLink(_ path: GatewayID) {
        guard links[path] == nil else { return }
        links[path] = GatewayLink(id: path)
        apply(.gatewayFound(path))
    }

    private func rescan() {
        for path in GatewayDiscovery.sockets(in: options.directory) { addLink(path) }
    }

    private func finishConnects() {
        for outcome in connector.take() {
            guard let link = links[outcome.gateway] else { continue }
            link.connecting = false
            switch outcome.result {
            case .success(let client):
                link.client = client
                do {
                    try link.subscribe()
                    apply(.connected(link.id, client.hello))
                } catch {
                    lose(link, reason: "\(error)")
                }
            case .failure(let error):
                fail(link, reason: GatewayLink.reason(error, path: link.id))
            }
        }
    }

    private func lose(_ link: GatewayLink, reason: String) {
        link.close()
        fail(link, reason: reason)
    }

    private func fail(_ link: GatewayLink, reason: String) {
        link.failures += 1
        let delay = backoff.delay(afterFailures: link.failures)
        link.nextAttempt = mono + delay
        apply(.disconnected(link.id, reason: reason, retryAt: wall + delay))
    }

    // MARK: Model and commands

    private func apply(_ input: DashboardInput) {
        let commands = state.apply(input, now: wall)
        pacer.invalidate()
        for c in commands { execute(c) }
    }

    private func execute(_ command: DashboardCommand) {
        switch command {
        case .quit:
            exitCode = 0
        case .redraw:
            terminal.forceFullRedraw()
        case .send(let token, let gateway, let request):
            let problem = links[gateway].map { $0.send(request, token: token) } ?? "unknown gateway"
            if let problem { apply(.commandFailed(token: token, message: problem)) }
        }
    }

    private func draw(at now: Double) {
        terminal.beginFrame()
        let map = DashboardView.draw(state, on: terminal,
                                     context: ViewContext(now: wall, zone: options.zone,
                                                          watching: options.watchesDirectory ? options.directory : nil))
        terminal.endFrame()
        frames += 1
        pacer.drew(at: now)
        if map != state.screen {
            _ = state.apply(.layout(map), now: wall)
            pacer.invalidate()  // once more with the real page sizes; settles on the next frame
        }
    }
}
