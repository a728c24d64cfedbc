import Foundation
import GatehouseCore
import Testing
@testable import GatehouseCLI

/// `gatehouse policy init`: listing a real server's tools over raw JSON-RPC, and a starter policy
/// that the gateway's own loader accepts unchanged and that decides the way its comments say.
@Suite struct PolicyInitTests {
    func load(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Policy {
        let r = PolicyLoader.load(text, file: "starter.yaml")
        #expect(r.errors.isEmpty, "\(r.errors.map(\.description))\n\(text)", sourceLocation: sourceLocation)
        return try #require(r.policy, sourceLocation: sourceLocation)
    }

    func decide(_ p: Policy, _ tool: String, engine: PolicyEngine? = nil, now: Double = 0) -> Decision {
        (engine ?? PolicyEngine(policy: p, counters: InMemoryCounterStore()))
            .decide(CallContext(tool: tool, arguments: [:], grant: "g", session: "s"), now: now)
    }

    @Test func listsTheDemoServersToolsAndWritesAPolicyThatLoadsAndDecides() throws {
        let exe = try requireBinary()
        let catalogue = try UpstreamToolLister(command: [exe, "demo-server"], timeout: patience).list()
        #expect(catalogue.serverName == "gatehouse-demo-exchange")
        #expect(catalogue.tools.map(\.name) == ["get_ticker", "list_open_orders", "open_listen_key", "close_listen_key",
                                                "place_order", "withdraw", "delete_api_key"])
        #expect(catalogue.tools.allSatisfy { $0.annotations?["readOnlyHint"] != nil && $0.description != nil })

        let text = StarterPolicy(tools: catalogue.tools, command: [exe, "demo-server"], serverName: catalogue.serverName).render()
        let policy = try load(text)
        #expect(policy.defaultAction == .deny)
        #expect(decide(policy, "get_ticker").verdict.kind == "allow")
        #expect(decide(policy, "list_open_orders").verdict.kind == "allow")
        for tool in ["place_order", "withdraw", "delete_api_key"] {
            guard case .hold(let s) = decide(policy, tool).verdict else { Issue.record("\(tool) is not held"); continue }
            #expect(s == ApprovalSettings(timeout: 120, onTimeout: .deny))
        }
        #expect(decide(policy, "not_listed").verdict.kind == "deny")
        // Each write tool has its own 30-a-minute budget.
        let engine = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
        let kinds = (0..<31).map { decide(policy, "close_listen_key", engine: engine, now: Double($0)).verdict.kind }
        #expect(kinds.filter { $0 == "allow" }.count == 30 && kinds.last == "rate_limited")
        #expect(decide(policy, "open_listen_key", engine: engine, now: 31).verdict.kind == "allow")
        // Comments explain each tool.
        #expect(text.contains("# delete_api_key (destructive): annotated destructiveHint: true."))
        #expect(text.contains("# withdraw (financial): its name says it moves money"))
        #expect(text.contains("#   \"Get the last price"))
    }

    @Test func namesThatYAMLWouldMisreadAreQuoted() throws {
        let names = ["yes", "off", "a b", "x: y", "#hash", "émoji-tool", "123start", "with\"quote", "-dash", "null"]
        let tools = names.map { UpstreamTool(name: $0, description: "line one\nline two # not a comment", annotations: ["readOnlyHint": true]) }
        let policy = try load(StarterPolicy(tools: tools, command: ["srv"]).render())
        for n in names { #expect(policy.rule(for: n)?.pattern.text == n, "\(n)") }
    }

    @Test func wildcardNamesAreLeftToTheDefault() throws {
        let tools = [UpstreamTool(name: "get_*", description: nil, annotations: nil), UpstreamTool(name: "get_x", description: nil, annotations: nil)]
        let text = StarterPolicy(tools: tools, command: ["srv"]).render()
        let policy = try load(text)
        #expect(policy.tools.map(\.pattern.text) == ["get_x"])
        #expect(text.contains("reads as a wildcard"))
    }

    @Test func aServerWithoutToolsGetsAnEmptyDefaultDenyPolicy() throws {
        let text = StarterPolicy(tools: [], command: ["srv"]).render()
        let policy = try load(text)
        #expect(policy.tools.isEmpty && policy.defaultAction == .deny)
        #expect(text.contains("listed no tools"))
    }

    @Test func theReasonGivenMatchesTheEvidence() {
        func why(_ name: String, _ a: JSONValue?) -> String { StarterPolicy.why(UpstreamTool(name: name, description: nil, annotations: a)) }
        #expect(why("fetch_page", ["readOnlyHint": true]) == "annotated readOnlyHint: true")
        #expect(why("get_status", nil).contains("name reads as a lookup"))
        #expect(why("drop_table", nil).contains("name says it deletes"))
        #expect(why("frobnicate", nil).contains("nothing marks it read-only"))
        #expect(why("sync", ["readOnlyHint": false, "destructiveHint": false]).hasPrefix("annotated readOnlyHint: false"))
        #expect(why("transfer_funds", ["readOnlyHint": true]).contains("does not lower that"))
    }

    /// A scripted server: a banner on stdout, a notification and a ping before its answer, and
    /// two pages of tools (the second page repeats a name).
    static let pagedServer = #"""
        echo "paged server starting"
        read l
        printf '%s\n' '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"paged","version":"1"}}}'
        read l
        read l
        printf '%s\n' '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}'
        printf '%s\n' '{"jsonrpc":"2.0","id":"srv-1","method":"ping"}'
        printf '%s\n' '{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"get_a","inputSchema":{"type":"object"}}],"nextCursor":"c2"}}'
        read pong
        case "$pong" in *'"id":"srv-1"'*'"result"'*) ;; *) exit 3 ;; esac
        read l
        case "$l" in
          *'"cursor":"c2"'*) printf '%s\n' '{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"purge_b","annotations":{"destructiveHint":true}},{"name":"get_a"}]}}' ;;
          *) printf '%s\n' '{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"no cursor"}}' ;;
        esac
        cat > /dev/null
        """#

    @Test func followsPagesAnswersPingsAndSkipsNoise() throws {
        let dir = try ScratchDir()
        let script = try dir.write("paged.sh", Self.pagedServer)
        let c = try UpstreamToolLister(command: ["/bin/sh", script], timeout: patience).list()
        #expect(c.serverName == "paged")
        #expect(c.tools.map(\.name) == ["get_a", "purge_b"])
        #expect(c.tools.map(\.risk) == [.read, .destructive])
        #expect(c.skipped == ["get_a is listed twice; the first is used"])
    }

    @Test func serversThatFailAreReportedNotWaitedForever() throws {
        let dead = #expect(throws: UpstreamToolLister.Failure.self) { try UpstreamToolLister(command: ["false"]).list() }
        #expect(dead?.description.contains("the server exited with code 1") == true, "\(String(describing: dead))")
        let silent = #expect(throws: UpstreamToolLister.Failure.self) {
            try UpstreamToolLister(command: ["sleep", "600"], timeout: 1).list()
        }
        #expect(silent?.description.contains("did not answer within") == true)
        let missing = #expect(throws: UpstreamToolLister.Failure.self) {
            try UpstreamToolLister(command: ["/nonexistent/mcp-server"]).list()
        }
        #expect(missing?.description.contains("cannot start") == true)
    }

    @Test func theCommandWritesOnceAndOverwritesOnlyWithForce() throws {
        let exe = try requireBinary()
        let dir = try ScratchDir()
        let out = dir.file("nested/exchange.yaml")
        let first = try PolicyInitCommand.parse(["--output", out, "--", exe, "demo-server"])
        try first.run()
        let written = try String(contentsOfFile: out, encoding: .utf8)
        _ = try load(written)
        #expect(written.contains("gatehouse serve --policy \(out) --"))

        try Data("# mine\n".utf8).write(to: URL(fileURLWithPath: out))
        let again = try PolicyInitCommand.parse(["--output", out, "--", exe, "demo-server"])
        #expect(throws: (any Error).self) { try again.run() }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "# mine\n")

        let forced = try PolicyInitCommand.parse(["--output", out, "--force", "--", exe, "demo-server"])
        try forced.run()
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("default: deny"))
        #expect(dir.list() == ["nested"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("nested")) == ["exchange.yaml"], "no temporary file left")
    }

    @Test func optionsAreChecked() {
        #expect(throws: (any Error).self) { try PolicyInitCommand.parse([]) }
        #expect(throws: (any Error).self) { try PolicyInitCommand.parse(["--output", "p.json", "--", "srv"]) }
        #expect(throws: (any Error).self) { try PolicyInitCommand.parse(["--timeout", "0", "--", "srv"]) }
        #expect((try? PolicyInitCommand.parse(["-o", "p.yml", "--", "srv", "--flag"]))?.command == ["srv", "--flag"])
    }
}
