import ArgumentParser
import Foundation
import Testing
@testable import GatehouseCLI
import GatehouseCore

/// `gatehouse policy check` and `gatehouse policy explain`, run in-process against in-memory files.
@Suite("gatehouse policy")
struct PolicyCommandTests {
    static let seed = #"{"version": "1", "default": "deny", "tools": {"BinanceFuturesCloseListenKey": {"limits": [{"counter": "binancefuturescloselistenkey_rate", "window": "minute", "max": 30, "scope": "grant"}]}}}"#

    static let files: [String: String] = [
        "seed.json": seed,
        "broken.json": """
            {
              "version": "1",
              "tools": {
                "Foo": {"limts": []},
                "Bar": {"limits": [{"counter": "c", "window": "minutes", "max": 5, "scope": "sesion"}]}
              }
            }
            """,
        "desk.yaml": """
            version: "1"
            default: require_approval
            hide: [admin_*]
            tools:
              get_*: {rate_limit: 3/minute}
              trade:
                reason: Too big.
                deny_if: [{path: args.qty, op: gt, value: 10}]
              quiet: {action: deny, rate_limit: 1/hour}
            """,
        "policy.conf": "version: '1'\ndefault: allow\n",
    ]

    static let read: PolicyFileReader = { path in
        guard let text = files[path] else { throw PolicyFileError(message: "no such file") }
        return Array(text.utf8)
    }

    // MARK: check

    @Test func checkReportsAValidFileOnStandardOutput() {
        let out = PolicyCheck.run(files: ["seed.json"], json: false, read: Self.read)
        #expect(out == PolicyCommandOutput(stdout: "seed.json: ok (default deny, 1 tool, 1 counter)\n", stderr: "", exitCode: 0))
    }

    @Test func checkReportsEveryProblemOnStandardErrorAndExitsOne() {
        let out = PolicyCheck.run(files: ["broken.json", "seed.json"], json: false, read: Self.read)
        #expect(out.exitCode == 1)
        #expect(out.stdout == "seed.json: ok (default deny, 1 tool, 1 counter)\n")
        #expect(out.stderr == """
            broken.json:4:13: error: tools.Foo.limts: unknown key "limts" in a tool rule (did you mean "limits"?); expected one of: action, reason, require, deny_if, limits, rate_limit, approval, description
            broken.json:5:51: error: tools.Bar.limits[0].window: "minutes" is not a window (did you mean "minute"?); expected second, minute, hour, day, or a number of seconds
            broken.json:5:81: error: tools.Bar.limits[0].scope: "sesion" is not a valid scope (did you mean "session"?); expected one of: grant, session, global
            broken.json: invalid (3 errors)

            """)
    }

    @Test func checkPrintsWarningsAndCountsThemInTheSummary() {
        let out = PolicyCheck.run(files: ["desk.yaml"], json: false, read: Self.read)
        #expect(out.exitCode == 0)
        #expect(out.stdout == "desk.yaml: ok (default require_approval, 3 tools, 2 counters, 1 hidden, 1 warning)\n")
        #expect(out.stderr == "desk.yaml:9:37: warning: tools.quiet.rate_limit: limits on a denied tool never apply\n")
    }

    @Test func anUnreadableFileExitsTwoEvenAmongInvalidOnes() {
        let out = PolicyCheck.run(files: ["broken.json", "missing.json", "seed.json"], json: false, read: Self.read)
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("missing.json: error: cannot read the file: no such file\n"))
        #expect(out.stdout.contains("seed.json: ok"))
    }

    @Test func formatOptionOverridesTheFileName() {
        #expect(PolicyCheck.run(files: ["policy.conf"], json: false, read: Self.read).exitCode == 1, "read as JSON by default")
        let out = PolicyCheck.run(files: ["policy.conf"], json: false, format: .yaml, read: Self.read)
        #expect(out.exitCode == 0)
        #expect(out.stdout == "policy.conf: ok (default allow, 0 tools, 0 counters)\n")
    }

    @Test func checkJSONIsMachineReadable() throws {
        let out = PolicyCheck.run(files: ["seed.json", "broken.json", "missing.json"], json: true, read: Self.read)
        #expect(out.exitCode == 2)
        #expect(out.stderr.isEmpty)
        let reports = try #require(try JSONParser.parse(out.stdout).arrayValue)
        #expect(reports.map { $0["file"] } == ["seed.json", "broken.json", "missing.json"])
        #expect(reports.map { $0["valid"] } == [true, false, false])
        #expect(reports[0]["diagnostics"] == [])
        let first = try #require(reports[1]["diagnostics"]?.arrayValue?.first)
        #expect(first["line"] == 4)
        #expect(first["column"] == 13)
        #expect(first["path"] == "tools.Foo.limts")
        #expect(first["suggestion"] == "limits")
        #expect(first["severity"] == "error")
        #expect(reports[2]["diagnostics"]?.arrayValue?.first?["message"] == "cannot read the file: no such file")
    }

    @Test func checkReadsRealFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-policy-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("p.json").path
        try Data(Self.seed.utf8).write(to: URL(fileURLWithPath: good))
        #expect(PolicyCheck.run(files: [good], json: false).exitCode == 0)
        #expect(PolicyCheck.run(files: [dir.path], json: false).stderr.contains("is a directory"))
        #expect(PolicyCheck.run(files: [dir.appendingPathComponent("nope.json").path], json: false).exitCode == 2)
        let latin1 = dir.appendingPathComponent("l.json").path
        try Data([0x7B, 0x22, 0xE9, 0x22, 0x7D]).write(to: URL(fileURLWithPath: latin1))
        #expect(PolicyCheck.run(files: [latin1], json: false).stderr.contains("the file is not valid UTF-8"))
    }

    @Test func theShippedExamplesCheckClean() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted().map { examples.appendingPathComponent($0).path }
        let out = PolicyCheck.run(files: files, json: false)
        #expect(out.exitCode == 0)
        #expect(out.stderr.isEmpty)
        #expect(out.stdout.split(separator: "\n").count == files.count)
    }

    // MARK: explain

    private func explain(_ tool: String, file: String = "seed.json", args: String? = nil, calls: Int = 1, interval: Double = 0,
                         json: Bool = false) -> PolicyCommandOutput {
        PolicyExplain.run(PolicyExplain.Request(file: file, tool: tool, arguments: args, calls: calls, interval: interval),
                          json: json, now: 1_000_000, read: Self.read)
    }

    @Test func explainsADenialWithItsTrace() {
        let out = explain("BinanceFuturesPlaceOrder")
        #expect(out.exitCode == 0)
        #expect(out.stdout == """
            call: BinanceFuturesPlaceOrder {} (grant "cli", session "cli")

            decision: deny: Tool "BinanceFuturesPlaceOrder" is not allowed by policy (default: deny).
            rule: default
            trace:
              1. kill switch: off
              2. rule: none; default is deny
              3. action: deny

            """)
    }

    @Test func explainsAnAllowAndShowsTheCounter() {
        let out = explain("BinanceFuturesCloseListenKey")
        #expect(out.stdout.contains("decision: allow\nrule: tools[\"BinanceFuturesCloseListenKey\"]\n"))
        #expect(out.stdout.contains("  4. counter binancefuturescloselistenkey_rate[grant:cli]: +1 (max 30 per minute)\n"))
        #expect(out.stdout.hasSuffix("counters after 1 call:\n  binancefuturescloselistenkey_rate[grant:cli]: 1/30 per minute\n"))
    }

    @Test func repeatedCallsShowWhenTheRateLimitKicksIn() {
        let out = explain("BinanceFuturesCloseListenKey", calls: 32)
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("call 30 at +0s: allow"))
        #expect(lines.contains(#"call 31 at +0s: rate_limited: Rate limit reached: counter "binancefuturescloselistenkey_rate" is at 30/30 per minute for grant "cli". Retry after 1m."#))
        #expect(lines.contains("summary: 30 allow, 2 rate_limited"))
        #expect(lines.contains("  binancefuturescloselistenkey_rate[grant:cli]: 30/30 per minute"))
        // Traces for the first call and for the first refused one only.
        #expect(lines.filter { $0 == "trace:" }.count == 2)
    }

    @Test func spacedCallsLetTheWindowRollOn() {
        // 3 a minute, one call every 10 s: the fourth is refused until the first leaves the window at +1m.
        let out = explain("get_x", file: "desk.yaml", calls: 7, interval: 10)
        #expect(out.stdout.contains("\ncall 3 at +20s: allow\n"))
        #expect(out.stdout.contains("\ncall 4 at +30s: rate_limited: Rate limit reached: counter \"rate_limit:get_*\" is at 3/3 per minute for this session. Retry after 30s.\n"))
        #expect(out.stdout.contains("\ncall 6 at +50s: rate_limited: Rate limit reached: counter \"rate_limit:get_*\" is at 3/3 per minute for this session. Retry after 10s.\n"))
        #expect(out.stdout.contains("\ncall 7 at +1m: allow\n"))
        #expect(out.stdout.contains("summary: 4 allow, 3 rate_limited"))
    }

    @Test func explainsHoldsAndConditions() {
        #expect(explain("anything", file: "desk.yaml").stdout.contains("decision: hold: waits up to 2m for an operator, then deny\n"))
        let out = explain("trade", file: "desk.yaml", args: #"{"qty": "12"}"#)
        #expect(out.stdout.contains(#"decision: deny: Too big. [args.qty gt 10]"#))
        #expect(out.stdout.contains(#"  4. tools["trade"] deny_if args.qty gt 10: holds"#))
        #expect(explain("admin_reset", file: "desk.yaml").stdout.contains("rule: hide\n"))
    }

    @Test func explainJSON() throws {
        let out = explain("BinanceFuturesCloseListenKey", calls: 31, json: true)
        #expect(out.exitCode == 0)
        let report = try JSONParser.parse(out.stdout)
        let decisions = try #require(report["decisions"]?.arrayValue)
        #expect(decisions.count == 31)
        #expect(decisions[0]["decision"] == "allow")
        let last = decisions[30]
        #expect(last["decision"] == "rate_limited")
        #expect(last["used"] == 30)
        #expect(last["max"] == 30)
        #expect(last["retry_after"] == 60)
        #expect(last["counter"] == "binancefuturescloselistenkey_rate[grant:cli]")
        #expect(last["trace"]?.arrayValue?.first == ["check": "kill switch", "result": "off"])
        #expect(report["counters"]?.arrayValue?.first?["used"] == 30)
        let held = try JSONParser.parse(explain("x", file: "desk.yaml", json: true).stdout)
        #expect(held["decisions"]?.arrayValue?.first?["approval"] == ["timeout": 120, "on_timeout": "deny"])
    }

    @Test func explainRefusesUnusableInput() {
        #expect(explain("t", args: "{nope").exitCode == 2)
        #expect(explain("t", args: "{nope").stderr.hasPrefix("error: --args is not valid JSON: "))
        #expect(explain("t", args: "[1]").stderr == "error: --args must be a JSON object (MCP tool arguments), not an array\n")
        #expect(explain("t", calls: 0).exitCode == 2)
        #expect(explain("t", file: "missing.json").exitCode == 2)
        let broken = explain("t", file: "broken.json")
        #expect(broken.exitCode == 1)
        #expect(broken.stdout.isEmpty)
        #expect(broken.stderr.contains(#"broken.json:4:13: error: tools.Foo.limts"#))
    }

    // MARK: argument parsing and help

    @Test func parsesTheSubcommands() throws {
        let check = try #require(try PolicyCommand.parseAsRoot(["check", "a.json", "b.yaml", "--json"]) as? PolicyCheckCommand)
        #expect(check.files == ["a.json", "b.yaml"])
        #expect(check.json)
        let explain = try #require(try PolicyCommand.parseAsRoot([
            "explain", "p.json", "--tool", "t", "--args", #"{"a": 1}"#, "--grant", "g", "--session", "s", "--calls", "5",
            "--interval", "2m", "--format", "yaml",
        ]) as? PolicyExplainCommand)
        #expect(explain.tool == "t")
        #expect(explain.arguments == #"{"a": 1}"#)
        #expect(explain.calls == 5)
        #expect(explain.interval == "2m")
        #expect(explain.format == .yaml)
        #expect(throws: (any Error).self) { try PolicyCommand.parseAsRoot(["explain", "p.json"]) }
        #expect(throws: (any Error).self) { try PolicyCommand.parseAsRoot(["explain", "p.json", "--tool", "t", "--calls", "0"]) }
        #expect(throws: (any Error).self) { try PolicyCommand.parseAsRoot(["explain", "p.json", "--tool", "t", "--interval", "soon"]) }
        #expect(throws: (any Error).self) { try PolicyCommand.parseAsRoot(["check"]) }
    }

    @Test func everyHelpHasExamples() {
        #expect(PolicyCommand.configuration.commandName == "policy")
        for command in [PolicyCommand.self, PolicyCheckCommand.self, PolicyExplainCommand.self] as [any ParsableCommand.Type] {
            let help = PolicyCommand.helpMessage(for: command)
            #expect(help.contains("Examples:"), "\(command) --help has no examples")
            #expect(help.contains("gatehouse policy"))
        }
    }
}
