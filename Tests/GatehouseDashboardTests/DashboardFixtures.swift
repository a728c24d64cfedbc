import GatehouseCore
@testable import GatehouseDashboard

/// Records, snapshots and events for model and layout tests, with fixed times so
/// countdowns and clocks read the same on every run.
enum Fx {
    static let t0 = 1_790_000_000.0  // 2026-09-21 14:13:20 UTC
    static let exchange: GatewayID = "/run/gh/exchange.sock"
    static let git: GatewayID = "/run/gh/git.sock"

    static func hello(_ name: String, operatorName: String = "alice") -> HelloResult {
        HelloResult(protocolVersion: 1, gateway: info(name), operatorName: operatorName)
    }

    static func info(_ name: String) -> GatewayInfo {
        GatewayInfo(name: name, pid: 4242, upstream: ["python", "server.py"], startedAt: t0 - 3600, grant: "trading-bot",
                    user: "alice", version: "0.1.0")
    }

    static let policy = PolicySummary(file: "/etc/gh/desk.yaml", version: "1", defaultAction: "deny", toolRules: 4, counters: 1,
                                      hidden: [], loadedAt: t0 - 3600, sha256: String(repeating: "ab", count: 32))

    static func call(_ id: String, tool: String = "get_price", outcome: CallRecord.Outcome = .ok, at: Double = t0,
                     args: JSONValue = ["symbol": "BTC"], gateway: String = "exchange", approver: String? = nil,
                     latency: Double? = 3) -> CallRecord {
        CallRecord(id: id, gateway: gateway, session: "7f3a9c01", grant: "trading-bot", tool: tool, arguments: args,
                   argsHash: "hash-" + id, receivedAt: at,
                   decision: outcome == .held ? "hold" : outcome == .denied ? "deny" : "allow", outcome: outcome,
                   rule: "tools[\"\(tool)\"]", reason: outcome == .denied ? "not allowed" : nil,
                   trace: ["tool \(tool): rule tools[\"\(tool)\"]", "action: allow"], counters: [],
                   approver: approver, latencyMs: outcome == .ok ? latency : nil,
                   resultPreview: outcome == .ok ? "{\"price\": 64000}" : nil, resultIsError: outcome == .ok ? false : nil)
    }

    static func held(_ id: String, tool: String = "place_order", at: Double = t0, timeout: Double = 60,
                     args: JSONValue = ["side": "buy", "qty": 5, "symbol": "BTC"], gateway: String = "exchange") -> PendingApproval {
        PendingApproval(id: id, call: call(id, tool: tool, outcome: .held, at: at, args: args, gateway: gateway),
                        heldAt: at, expiresAt: at + timeout, onTimeout: "deny")
    }

    static let tools = [
        ToolInfo(name: "get_price", description: "Price of a symbol", risk: .read, readOnlyHint: true, destructiveHint: false,
                 state: "allowed", action: "allow", hidden: false, override: nil, overrideBy: nil, rule: "tools[\"get_price\"]",
                 limits: []),
        ToolInfo(name: "place_order", description: "Places an order", risk: .financial, readOnlyHint: false, destructiveHint: false,
                 state: "needs approval", action: "require_approval", hidden: false, override: nil, overrideBy: nil,
                 rule: "tools[\"place_order\"]", limits: ["orders 10/1m"]),
        ToolInfo(name: "cancel_all", description: "Cancels every order", risk: .destructive, readOnlyHint: false,
                 destructiveHint: true, state: "denied", action: "deny", hidden: false, override: "deny", overrideBy: "bob",
                 rule: "override", limits: []),
    ]

    static let counters = [
        CounterInfo(key: "orders[grant:trading-bot]", counter: "orders", scope: "grant", subject: "trading-bot", used: 9, max: 10,
                    windowSeconds: 60, resetsIn: 42),
        CounterInfo(key: "spend[grant:trading-bot]", counter: "spend", scope: "grant", subject: "trading-bot", used: 100, max: 1000,
                    windowSeconds: 3600, resetsIn: 1800),
    ]

    static func snapshot(_ name: String = "exchange", pending: [PendingApproval] = [], recent: [CallRecord] = [], seq: UInt64 = 10,
                         killSwitch: KillSwitchInfo = KillSwitchInfo(engaged: false)) -> Snapshot {
        Snapshot(gateway: info(name), policy: policy, killSwitch: killSwitch, tools: tools, counters: counters, pending: pending,
                 recent: recent, seq: seq, upstreamRunning: true)
    }

    static func callEvent(_ r: CallRecord, seq: UInt64) -> ControlEvent {
        ControlEvent(seq: seq, at: r.receivedAt, type: .call, call: r)
    }

    static func pendingEvent(_ p: PendingApproval, seq: UInt64) -> ControlEvent {
        ControlEvent(seq: seq, at: p.heldAt, type: .approvalPending, approval: p)
    }

    static func resolvedEvent(_ id: String, outcome: String, by: String?, seq: UInt64) -> ControlEvent {
        ControlEvent(seq: seq, at: t0, type: .approvalResolved,
                     resolution: .init(id: id, outcome: outcome, by: by, scope: outcome == "approved" ? "once" : nil, reason: nil))
    }
}

/// A model driven like the app drives it: inputs in order, commands collected.
struct Driver {
    var state: DashboardState
    var now: Double = Fx.t0
    var commands: [DashboardCommand] = []

    init(readOnly: Bool = false, capacity: Int = 10_000, rows: Int = 10) {
        state = DashboardState(options: .init(readOnly: readOnly, historyCapacity: capacity))
        var map = ScreenMap()
        for p in Panel.allCases { map.pageRows[p] = rows }
        map.detailRows = rows
        _ = state.apply(.layout(map), now: now)
    }

    @discardableResult
    mutating func input(_ i: DashboardInput) -> [DashboardCommand] {
        let c = state.apply(i, now: now)
        commands += c
        return c
    }

    @discardableResult
    mutating func key(_ k: Key) -> [DashboardCommand] { input(.key(k)) }

    @discardableResult
    mutating func type(_ text: String) -> [DashboardCommand] {
        text.flatMap { key(.char($0)) }
    }

    /// A connected gateway with a snapshot.
    mutating func attach(_ id: GatewayID = Fx.exchange, _ snap: Snapshot = Fx.snapshot()) {
        input(.gatewayFound(id))
        input(.connected(id, Fx.hello(snap.gateway.name)))
        input(.snapshot(id, snap))
    }

    /// Lets time pass beyond the settle delay, so decision keys are not refused as hasty.
    mutating func wait(_ seconds: Double = 2) { now += seconds }

    var sends: [(token: Int, gateway: GatewayID, request: ControlRequest)] {
        commands.compactMap { if case .send(let t, let g, let r) = $0 { (t, g, r) } else { nil } }
    }
}
