import Foundation
import GatehouseCore
import Logging
import Synchronization
@testable import GatehouseGateway

/// The policy the MCP and control targets run under: only `get_time` and `limited` may ever
/// reach the upstream without an operator; `transfer` is held; everything else is denied.
let fuzzPolicy = """
    {"version": "1", "default": "deny", "hide": ["secret_*"],
     "approval": {"timeout": "2s", "on_timeout": "deny"},
     "tools": {
       "get_time": {"action": "allow"},
       "limited": {"rate_limit": "2/minute"},
       "spend": {"limits": [{"counter": "budget", "window": "hour", "max": 100, "increment_from": "args.amount"}],
                 "deny_if": [{"path": "args.amount", "op": "gt", "value": 50}]},
       "transfer": {"action": "require_approval"},
       "blocked": {"action": "deny"}
     }}
    """
let mayForward: Set<String> = ["get_time", "limited", "spend"]
let loadedFuzzPolicy: LoadedPolicy = try! LoadedPolicy.parse(text: fuzzPolicy, file: "fuzz.json", now: 1_800_000_000)
let silent = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

/// An enforcer with nothing on disk whose outputs are collected.
final class FuzzGateway: Sendable {
    let enforcer: Enforcer
    let toClient = Lines()
    let toUpstream = Lines()

    init() {
        let info = GatewayInfo(name: "fuzz", pid: 1, upstream: ["up"], startedAt: 1_800_000_000, grant: "g", user: "u", version: "fuzz")
        let c = toClient, u = toUpstream
        enforcer = try! Enforcer(
            config: .init(gateway: info, session: "s", progressInterval: 0, pruneInterval: 0),
            policy: loadedFuzzPolicy, store: nil, counters: InMemoryCounterStore(), hub: EventHub(capacity: 64),
            clock: WallClock { 1_800_000_000 }, outputs: .init(toClient: { c.append($0) }, toUpstream: { u.append($0); return true }),
            logger: silent)
    }

    /// Whatever the gateway wrote must be JSON, and no `tools/call` reaches the upstream unless
    /// the policy allows it (no operator ever approves in these targets).
    /// `operatorActed`: approvals and overrides may have let other calls through.
    func checkOutputs(operatorActed: Bool = false) {
        for line in toClient.all {
            check((try? JSONParser.parse(line)) != nil, "the client was sent a line that is not JSON")
        }
        for line in toUpstream.all {
            guard let m = try? JSONParser.parse(line) else { fatalError("the upstream was sent a line that is not JSON") }
            if !operatorActed, m["method"]?.stringValue == "tools/call" {
                let name = m["params"]?["name"]?.stringValue ?? "<none>"
                check(mayForward.contains(name), "tools/call to \(name) was forwarded without an allow")
                if name == "spend", let amount = m["params"]?["arguments"]?["amount"] {
                    if let d = amount.doubleValue ?? amount.stringValue.flatMap(Double.init) {
                        check(d <= 50, "a spend of \(amount) was forwarded despite deny_if amount > 50")
                    }
                }
            }
        }
    }
}

final class Lines: Sendable {
    private let lines = Mutex<[[UInt8]]>([])
    func append(_ b: [UInt8]) { lines.withLock { $0.append(b) } }
    var all: [[UInt8]] { lines.withLock { $0 } }
}

/// Lines starting `U` come from the upstream; others from the client (a leading `C` is dropped).
/// The first byte's low bits choose what happens at the end: the upstream dies, the client leaves.
enum MCPTarget {
    static func run(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let gw = FuzzGateway()
        for raw in bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = Array(raw)
            if line.first == UInt8(ascii: "U") {
                line.removeFirst()
                gw.enforcer.handleUpstreamLine(line)
            } else {
                if line.first == UInt8(ascii: "C") { line.removeFirst() }
                gw.enforcer.handleClientLine(line)
            }
        }
        if flags & 1 != 0 {
            gw.enforcer.upstreamExited("fuzz: the upstream died")
            let open = gw.enforcer.state.withLock { s in
                s.inFlight.count + s.held.count + s.listRequests.count + s.initializeRequests.count + s.otherRequests.count
            }
            check(open == 0, "\(open) requests are still open after the upstream died")
        }
        if flags & 2 != 0 {
            gw.enforcer.clientClosed()
            gw.enforcer.abandonInFlight("fuzz: shutdown")
            let open = gw.enforcer.state.withLock { $0.inFlight.count + $0.held.count }
            check(open == 0, "\(open) calls are still open after shutdown")
        }
        gw.checkOutputs()
    }
}

/// Each line is one control request. `HELD` in a line is replaced by the id of a call held for
/// approval (two are held before the lines run), so approve/deny reach real calls. The first
/// byte's low bit says whether the handshake is already done.
enum ControlTarget {
    static func run(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let gw = FuzzGateway()
        gw.enforcer.handleClientLine(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"transfer","arguments":{"to":"x"}}}"#.utf8))
        gw.enforcer.handleClientLine(Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"transfer"}}"#.utf8))
        let held = gw.enforcer.pendingApprovals().map(\.id)
        check(held.count == 2, "the two transfers were not held")
        let server = ControlServer(path: "/nonexistent/fuzz.sock", enforcer: gw.enforcer, logger: silent) { _ in
            .failure(.invalid([]))
        }
        var greeted = flags & 1 != 0
        var subscription: UInt64?
        let needle = Array("HELD".utf8)
        for raw in bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = Array(raw)
            if let r = line.firstRange(of: needle) { line.replaceSubrange(r, with: Array(held[line.count % 2].utf8)) }
            let reply = server.handle(line, operatorName: "fuzzer", greeted: &greeted, subscription: &subscription, send: { _ in true })
            if let reply {
                guard let m = try? JSONParser.parse(reply) else { fatalError("control reply is not JSON") }
                check(m["jsonrpc"] == "2.0", "control reply without jsonrpc")
                check((m["result"] != nil) != (m["error"] != nil), "control reply needs exactly one of result and error")
            }
        }
        if let subscription { gw.enforcer.hub.unsubscribe(subscription) }
        gw.enforcer.clientClosed()
        gw.checkOutputs(operatorActed: true)
    }
}

/// The first byte picks the format (even: JSON, odd: YAML). A rejected policy must say why.
enum PolicyTarget {
    static func run(_ bytes: [UInt8]) {
        guard let flags = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let r = PolicyLoader.load(text, file: nil, format: flags & 1 == 0 ? .json : .yaml)
        if r.policy == nil { check(!r.errors.isEmpty, "a policy was rejected without an error diagnostic") }
    }
}
