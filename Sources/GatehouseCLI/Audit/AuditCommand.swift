import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGateway

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log: every call, with its decision, approver and outcome.",
        discussion: """
            Examples:
              gatehouse audit --since 1h
              gatehouse audit --tool place_order --decision denied --json
              gatehouse audit --follow
            """)

    @Option(name: .customLong("state-dir"), help: "The gateway's state directory (default: $XDG_STATE_HOME/gatehouse).")
    var stateDir: String?

    @Option(help: "Only calls since a duration ago (30m, 2h, 1d) or an ISO-8601 time.")
    var since: String?

    @Option(help: "Only calls to this tool.")
    var tool: String?

    @Option(help: "Only calls with this decision or outcome (allow, deny, rate_limited, hold, ok, error, denied, timed_out, cancelled).")
    var decision: String?

    @Option(help: "Only calls through this gateway.")
    var gateway: String?

    @Option(help: "At most this many rows (the newest).")
    var limit: Int = 100

    @Flag(help: "One JSON object per line.")
    var json = false

    @Flag(help: "Keep printing new calls as they are recorded.")
    var follow = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = stateDir ?? DefaultPaths.stateDirectory(environment: env, home: env["HOME"] ?? NSHomeDirectory())
        guard FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("gatehouse.sqlite")) else {
            printError("gatehouse audit: no audit log in \(dir) (has a gateway run with this state directory?)")
            throw ExitCode(1)
        }
        let store = try StateStore(directory: dir)
        var query = StateStore.AuditQuery(tool: tool, decision: decision, gateway: gateway, limit: limit)
        if let since {
            guard let t = Self.parseSince(since, now: Date().timeIntervalSince1970) else {
                throw ValidationError("--since takes a duration like 30m or 2h, or an ISO-8601 time")
            }
            query.since = t
        }
        var last: Int64 = 0
        for row in try store.audit(query) {
            print(json ? AuditFormat.json(row.call) : AuditFormat.line(row.call))
            last = row.seq
        }
        guard follow else { return }
        query.limit = 1000
        fflush(nil)
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            query.afterSeq = last
            for row in try store.audit(query) {
                printLine(json ? AuditFormat.json(row.call) : AuditFormat.line(row.call))
                last = row.seq
            }
        }
    }

    static func parseSince(_ text: String, now: Double) -> Double? {
        if let d = DurationText.seconds(text) { return now - d }
        let f = ISO8601DateFormatter()
        if let date = f.date(from: text) { return date.timeIntervalSince1970 }
        f.formatOptions = [.withFullDate]
        return f.date(from: text)?.timeIntervalSince1970
    }
}

enum AuditFormat {
    static func time(_ t: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    static func line(_ c: CallRecord) -> String {
        var parts = [time(c.receivedAt), c.id, c.gateway, c.tool, "\(c.decision)→\(c.outcome.rawValue)"]
        if let a = c.approver { parts.append("by \(a)\(c.approvalScope.map { " (\($0))" } ?? "")") }
        if let l = c.latencyMs { parts.append(String(format: "%.1fms", l)) }
        if let r = c.reason { parts.append("— \(r)") }
        return parts.joined(separator: "  ")
    }

    static func json(_ c: CallRecord) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(c)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
