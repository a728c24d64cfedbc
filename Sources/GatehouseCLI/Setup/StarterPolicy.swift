import Foundation
import GatehouseCore

/// The starter policy `policy init` writes: default deny, and one rule per tool chosen by its risk
/// class. Reads are allowed, writes rate-limited, destructive and financial tools held for a person.
/// YAML, with comments saying what each section does and why each tool landed where it did.
struct StarterPolicy {
    var tools: [UpstreamTool]
    /// The server's command, for the header and the suggested `serve` line.
    var command: [String]
    var serverName: String?
    /// Where the policy is being written, for the suggested `serve` line (nil: stdout).
    var path: String?
    var writeRate = 30
    var approvalTimeout = "2m"

    enum Treatment: String {
        case allow, rateLimit, hold
    }

    static func treatment(_ risk: RiskClass) -> Treatment {
        switch risk {
        case .read: .allow
        case .write: .rateLimit
        case .destructive, .financial: .hold
        }
    }

    /// Why `tool` got its class, from the evidence `RiskClass.classify` weighs.
    static func why(_ tool: UpstreamTool) -> String {
        let ro = tool.annotations?["readOnlyHint"]?.boolValue
        let de = tool.annotations?["destructiveHint"]?.boolValue
        switch tool.risk {
        case .financial:
            return "its name says it moves money (a trade, payment, transfer, withdrawal or order)"
                + (ro == true ? "; readOnlyHint: true does not lower that" : "")
        case .read:
            return ro == true ? "annotated readOnlyHint: true" : "its name reads as a lookup (get, list, show …) and no annotation says otherwise"
        case .destructive:
            return de == true ? "annotated destructiveHint: true" : "its name says it deletes, removes, resets or revokes something"
        case .write:
            if ro == false, de == false { return "annotated readOnlyHint: false, destructiveHint: false: it changes things without destroying them" }
            return "nothing marks it read-only, so it is treated as able to change things"
        }
    }

    func render(date: Date = Date()) -> String {
        let commandLine = command.map(ShellQuote.quote).joined(separator: " ")
        var out: [String] = []
        func line(_ s: String = "") { out.append(s) }
        let counts = Dictionary(grouping: tools, by: \.risk).mapValues(\.count)
        let summary = RiskClass.allCases.compactMap { c in counts[c].map { "\($0) \(c.rawValue)" } }.joined(separator: ", ")

        line("# Gatehouse starter policy for: \(YAMLText.comment(commandLine, max: 200))")
        line("# Written by `gatehouse policy init` on \(Self.day(date)) from the \(tools.count) tool\(tools.count == 1 ? "" : "s") the server listed"
             + (serverName.map { " (\(YAMLText.comment($0, max: 60)))" } ?? "") + (summary.isEmpty ? "." : ": \(summary)."))
        line("# Review it, then put the server behind the gateway:")
        line("#   gatehouse serve --policy \(path.map { YAMLText.comment(ShellQuote.quote($0), max: 200) } ?? "THIS_FILE") -- \(YAMLText.comment(commandLine, max: 200))")
        line("#")
        line("# Every tool below is sorted by what it can do:")
        line("#   read         looks, changes nothing             -> allowed")
        line("#   write        changes things                     -> allowed, at most \(writeRate) calls a minute")
        line("#   destructive  destroys things                    -> held until a person approves")
        line("#   financial    moves money                        -> held until a person approves")
        line("# The classes come from each tool's MCP annotations and the verbs in its name. Annotations")
        line("# are hints the server gives about itself: check the ones that matter before you rely on them.")
        line()
        line("version: \"1\"")
        line()
        line("# A tool not named below is refused, including tools the server adds later.")
        line("default: deny")
        line()
        line("# A held call waits this long for a person (the dashboard, or gatehouse ctl approve ID);")
        line("# if nobody answers, it is denied.")
        line("approval:")
        line("  timeout: \(approvalTimeout)")
        line("  on_timeout: deny")
        line()
        guard !tools.isEmpty else {
            line("# The server listed no tools, so there is nothing to allow yet.")
            line("tools: {}")
            return out.joined(separator: "\n") + "\n"
        }
        line("tools:")
        for risk in RiskClass.allCases {
            let group = tools.filter { $0.risk == risk }
            guard !group.isEmpty else { continue }
            line("  # --- \(risk.rawValue): \(Self.sectionNote(risk)) ---")
            line()
            for t in group { rule(for: t, into: &out) }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    static func sectionNote(_ risk: RiskClass) -> String {
        switch risk {
        case .read: "allowed as they are"
        case .write: "allowed, each with its own rate limit so a looping agent cannot make hundreds of changes"
        case .destructive: "every call waits for a person's approval"
        case .financial: "every call waits for a person's approval"
        }
    }

    private func rule(for t: UpstreamTool, into out: inout [String]) {
        let key = YAMLText.scalar(t.name)
        out.append("  # \(YAMLText.comment(t.name, max: 80)) (\(t.risk.rawValue)): \(Self.why(t)).")
        if let d = t.description?.trimmingCharacters(in: .whitespacesAndNewlines), !d.isEmpty {
            out.append("  #   \"\(YAMLText.comment(d, max: 140))\"")
        }
        if t.name.contains("*") || t.name.contains("?") {
            // A key with * or ? is a wildcard and would match other tools too.
            out.append("  # Not listed: its name contains * or ?, which a policy key reads as a wildcard; the default (deny) applies.")
            out.append("")
            return
        }
        switch Self.treatment(t.risk) {
        case .allow:
            out.append("  \(key): {}")
        case .rateLimit:
            out.append("  \(key):")
            out.append("    limits:")
            out.append("      # Its own budget: \(writeRate) calls in any minute, per identity (serve --grant).")
            out.append("      - counter: \(YAMLText.scalar(t.name + "_rate"))")
            out.append("        window: minute")
            out.append("        max: \(writeRate)")
            out.append("        scope: grant")
        case .hold:
            out.append("  \(key):")
            out.append("    action: require_approval")
            out.append("    approval:")
            out.append("      timeout: \(approvalTimeout)")
            out.append("      on_timeout: deny")
        }
        out.append("")
    }

    static func day(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f.string(from: d)
    }
}
