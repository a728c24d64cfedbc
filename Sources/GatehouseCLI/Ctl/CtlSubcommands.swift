import ArgumentParser
import Foundation
import GatehouseControl
import GatehouseCore

struct CtlStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the gateway, its policy, kill switch, tools and counters.")
    @OptionGroup var target: CtlTarget

    func run() throws {
        try target.run({ try $0.call(.status, as: Snapshot.self) }) { s in
            var lines = [
                "gateway   \(s.gateway.name) (pid \(s.gateway.pid), grant \(s.gateway.grant)) → \(s.gateway.upstream.joined(separator: " "))",
                "policy    \(s.policy.file) (default \(s.policy.defaultAction), \(s.policy.toolRules) rules, sha256 \(s.policy.sha256.prefix(12)))",
                "kill      " + (s.killSwitch.engaged ? "ENGAGED by \(s.killSwitch.by ?? "?")\(s.killSwitch.reason.map { ": \($0)" } ?? "")" : "off"),
                "upstream  " + (s.upstreamRunning ? "running" : "NOT RUNNING"),
                "pending   \(s.pending.count)",
            ]
            if !s.tools.isEmpty {
                lines.append("tools")
                for t in s.tools {
                    lines.append("  \(t.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(t.risk.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(t.state)\(t.override.map { " (override \($0) by \(t.overrideBy ?? "?"))" } ?? "")")
                }
            }
            if !s.counters.isEmpty {
                lines.append("counters")
                for c in s.counters {
                    lines.append("  \(c.key)  \(Decision.formatAmount(c.used))/\(c.max) per \(Limit.describe(window: c.windowSeconds))")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

struct CtlPending: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pending", abstract: "List calls waiting for approval.")
    @OptionGroup var target: CtlTarget

    func run() throws {
        try target.run({ try $0.call(.pending, as: [PendingApproval].self) }) { list in
            list.isEmpty ? "no calls are waiting for approval" : list.map(CtlOutput.pending).joined(separator: "\n")
        }
    }
}

struct CtlCalls: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calls", abstract: "List the most recent calls.")
    @OptionGroup var target: CtlTarget
    @Option(help: "How many.") var limit = 20

    func run() throws {
        try target.run({ try $0.call(.calls, CallsParams(limit: limit), as: [CallRecord].self) }) { calls in
            calls.isEmpty ? "no calls yet" : calls.map(CtlOutput.call).joined(separator: "\n")
        }
    }
}

struct CtlApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a held call: this call only, or its tool for a while, this session, or always.")
    @OptionGroup var target: CtlTarget
    @Argument(help: "The held call's id (a unique prefix of at least 4 characters is enough).") var id: String
    @Option(name: .customLong("for"), help: "Also approve this tool's calls for a duration (e.g. 10m).") var duration: String?
    @Flag(help: "Also approve this tool's calls for the rest of the session.") var session = false
    @Flag(help: "Always allow this tool from now on (a runtime override).") var always = false

    func validate() throws {
        if [duration != nil, session, always].filter({ $0 }).count > 1 { throw ValidationError("choose one of --for, --session and --always") }
        if let d = duration, DurationText.seconds(d) == nil { throw ValidationError("--for takes a duration like 90s, 10m or 2h") }
    }

    func run() throws {
        var p = ApproveParams(id: id)
        if let d = duration { p.scope = .duration; p.durationSeconds = DurationText.seconds(d) }
        if session { p.scope = .session }
        if always { p.scope = .always }
        try target.run({ try $0.call(.approve, p, as: ResolveResult.self) }) { "approved: " + CtlOutput.call($0.call) }
    }
}

struct CtlDeny: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Deny a held call; the agent reads the reason.")
    @OptionGroup var target: CtlTarget
    @Argument(help: "The held call's id.") var id: String
    @Option(help: "Why, in words the agent will read.") var reason: String?

    func run() throws {
        try target.run({ try $0.call(.deny, DenyParams(id: id, reason: reason), as: ResolveResult.self) }) { "denied: " + CtlOutput.call($0.call) }
    }
}

struct CtlKill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill", abstract: "Engage the kill switch: deny every call and every held call until released.")
    @OptionGroup var target: CtlTarget
    @Option(help: "Why, shown to agents and operators.") var reason: String?

    func run() throws {
        try target.run({ try $0.call(.kill, KillParams(reason: reason), as: KillSwitchInfo.self) }) { k in
            "kill switch ENGAGED by \(k.by ?? "?")"
        }
    }
}

struct CtlRelease: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release the kill switch.")
    @OptionGroup var target: CtlTarget

    func run() throws {
        try target.run({ try $0.call(.release, as: KillSwitchInfo.self) }) { _ in "kill switch released" }
    }
}

struct CtlTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool", abstract: "Override a tool at run time: deny, allow, approve (require approval) or clear.")
    @OptionGroup var target: CtlTarget
    @Argument(help: "The tool's name.") var tool: String
    @Argument(help: "deny, allow, approve or clear.") var action: String

    func validate() throws {
        if !["deny", "allow", "approve", "require_approval", "clear"].contains(action) {
            throw ValidationError("the action must be deny, allow, approve or clear")
        }
    }

    func run() throws {
        let wire = action == "approve" ? "require_approval" : action
        try target.run({ try $0.call(.toolOverride, ToolOverrideParams(tool: tool, action: wire), as: ToolInfo.self) }) { t in
            "\(t.name): \(t.state)" + (t.override.map { " (override \($0))" } ?? " (policy)")
        }
    }
}

struct CtlReload: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reload", abstract: "Reload the policy file; an invalid file keeps the old policy.")
    @OptionGroup var target: CtlTarget

    func run() throws {
        try target.run({ try $0.call(.reload, as: ReloadResult.self) }) { r in
            "policy reloaded: \(r.policy.file) (sha256 \(r.policy.sha256.prefix(12)))" + r.warnings.map { "\nwarning: \($0)" }.joined()
        }
    }
}

struct CtlTail: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print the gateway's live events until interrupted.")
    @OptionGroup var target: CtlTarget

    func run() throws {
        let client = try target.connect()
        defer { client.close() }
        try client.send(.subscribe, EmptyParams())
        while let m = try client.next() {
            switch m {
            case .response(_, .success(let snap)):
                if target.json { printLine(JSONWriter.string(snap.json)) } else {
                    let s = try snap.decode(Snapshot.self)
                    printLine("subscribed to \(s.gateway.name): \(s.pending.count) pending, kill switch \(s.killSwitch.engaged ? "ENGAGED" : "off")")
                }
            case .response(_, .failure(let e)):
                printError("gatehouse ctl: \(e)")
                throw ExitCode(1)
            case .event(let e):
                if target.json { printLine(CtlOutput.json(e)) } else { printLine(Self.describe(e)) }
            case .resync(let r):
                if target.json { printLine(CtlOutput.json(["resync": r.missed])) } else { printLine("(missed \(r.missed) events; resynchronised)") }
            }
        }
    }

    static func describe(_ e: ControlEvent) -> String {
        let t = AuditFormat.time(e.at)
        switch e.type {
        case .call: return "\(t) call  " + (e.call.map(CtlOutput.call) ?? "")
        case .approvalPending: return "\(t) held  " + (e.approval.map(CtlOutput.pending) ?? "")
        case .approvalResolved:
            let r = e.resolution
            return "\(t) resolved  \(r?.id ?? "") \(r?.outcome ?? "")\(r?.by.map { " by \($0)" } ?? "")"
        case .counter: return "\(t) counters  " + (e.counters ?? []).map { "\($0.key) \(Decision.formatAmount($0.used))/\($0.max)" }.joined(separator: ", ")
        case .tools: return "\(t) tools  \(e.tools?.count ?? 0) tools"
        case .killSwitch: return "\(t) kill switch  " + (e.killSwitch?.engaged == true ? "ENGAGED by \(e.killSwitch?.by ?? "?")" : "released")
        case .policyReloaded: return "\(t) policy reloaded  \(e.policy?.file ?? "")"
        case .policyRejected: return "\(t) policy REJECTED  " + (e.errors ?? []).joined(separator: "; ")
        case .upstream: return "\(t) upstream  \(e.message ?? "")"
        }
    }
}
