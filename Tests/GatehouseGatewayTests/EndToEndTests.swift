import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import MCP
import SystemPackage
import Testing
@testable import GatehouseGateway

/// The built `gatehouse` binary between the official Swift SDK's client and a real MCP server
/// (`mcp-server-time`, from `$GATEHOUSE_PYTHON_BIN_DIR`), over pipes.
@Suite(.serialized) struct EndToEndTests {
    static let policy = """
        {
          "version": "1",
          "default": "deny",
          "tools": {
            "get_current_time": {"action": "allow", "rate_limit": "5/minute"},
            "convert_time": {"action": "deny", "reason": "Time conversion is switched off here."}
          }
        }
        """

    /// Starts the gateway over `mcp-server-time` and connects the SDK client to it.
    static func start(policy: String = policy) async throws -> (GatewayProcess, Client) {
        let upstream = try BuiltProducts.pythonTool("mcp-server-time")
        let gateway = try GatewayProcess(policy: policy, upstream: [upstream, "--local-timezone", "UTC"])
        let transport = StdioTransport(
            input: FileDescriptor(rawValue: gateway.child.stdoutDescriptor),
            output: FileDescriptor(rawValue: gateway.child.stdin.fileDescriptor))
        let client = Client(name: "gatehouse-e2e", version: "1.0")
        let initialize = try await withTimeout("initialize", timeout: .seconds(60)) { try await client.connect(transport: transport) }
        // The gateway promises to say when the tool list changes.
        #expect(initialize.capabilities.tools?.listChanged == true)
        #expect(initialize.serverInfo.name == "mcp-time")
        return (gateway, client)
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let t, _, _) = $0 { t } else { nil } }.joined(separator: "\n")
    }

    @Test func theSDKClientListsAndCallsToolsThroughTheGateway() async throws {
        let (gateway, client) = try await Self.start()
        let tools = try await withTimeout("tools/list") { try await client.listTools() }
        #expect(Set(tools.tools.map(\.name)) == ["get_current_time", "convert_time"])

        let allowed = try await withTimeout("allowed call") {
            try await client.callTool(name: "get_current_time", arguments: ["timezone": "UTC"])
        }
        #expect(allowed.isError != true)
        #expect(Self.text(allowed.content).contains(#""timezone": "UTC""#))

        let denied = try await withTimeout("denied call") {
            try await client.callTool(name: "convert_time", arguments: ["source_timezone": "UTC", "time": "12:00",
                                                                         "target_timezone": "Asia/Tokyo"])
        }
        #expect(denied.isError == true)
        #expect(Self.text(denied.content) == "Time conversion is switched off here.")

        // The upstream's own errors come back as they are.
        let bad = try await withTimeout("upstream tool error") {
            try await client.callTool(name: "get_current_time", arguments: ["timezone": "Not/AZone"])
        }
        #expect(bad.isError == true)
        #expect(Self.text(bad.content).contains("Not/AZone"))

        await client.disconnect()
        #expect(gateway.hangUp() == .exited(0))

        // What happened is in the audit log the process left behind.
        let store = try StateStore(directory: gateway.stateDirectory)
        let rows = try store.audit(.init()).map(\.call)
        #expect(rows.map(\.tool) == ["get_current_time", "convert_time", "get_current_time"])
        #expect(rows.map(\.outcome) == [.ok, .denied, .ok])
        #expect(rows.allSatisfy { $0.gateway == "e2e" })
        // The socket is gone with the gateway.
        #expect(!FileManager.default.fileExists(atPath: gateway.controlPath))
    }

    @Test func hiddenToolsAreGoneAndOperatorsActThroughTheControlSocket() async throws {
        let (gateway, client) = try await Self.start(policy: """
            {"version": "1", "default": "deny", "hide": ["convert_time"],
             "tools": {"get_current_time": {"action": "require_approval", "approval": {"timeout": "5m"}}}}
            """)
        let tools = try await withTimeout("tools/list") { try await client.listTools() }
        #expect(tools.tools.map(\.name) == ["get_current_time"])
        let hidden = try await withTimeout("hidden call") { try await client.callTool(name: "convert_time", arguments: [:]) }
        #expect(hidden.isError == true)
        #expect(Self.text(hidden.content) == #"Tool "convert_time" is not available."#)

        #expect(gateway.waitForControlSocket())
        let operatorClient = try ControlClient.connect(path: gateway.controlPath, clientName: "e2e-operator")
        defer { operatorClient.close() }
        #expect(operatorClient.hello.gateway.name == "e2e")

        // A held call: the client waits while an operator looks, then gets the real answer.
        let held = Task { try await client.callTool(name: "get_current_time", arguments: ["timezone": "Europe/Paris"]) }
        let pending = try #require(waitFor {
            (try? operatorClient.checkedCall(.pending, as: [PendingApproval].self))?.first
        })
        #expect(pending.call.arguments == ["timezone": "Europe/Paris"])
        let resolved = try operatorClient.checkedCall(.approve, ApproveParams(id: pending.id, scope: .session, argsHash: pending.call.argsHash),
                                                      as: ResolveResult.self)
        #expect(resolved.call.approver == operatorClient.hello.operatorName)
        let answer = try await withTimeout("approved call") { try await held.value }
        #expect(answer.isError != true)
        #expect(Self.text(answer.content).contains("Europe/Paris"))

        // The kill switch stops even a tool approved for the session.
        _ = try operatorClient.checkedCall(.kill, KillParams(reason: "e2e drill"), as: KillSwitchInfo.self)
        let killed = try await withTimeout("call under the kill switch") {
            try await client.callTool(name: "get_current_time", arguments: ["timezone": "UTC"])
        }
        #expect(killed.isError == true)
        #expect(Self.text(killed.content).contains("e2e drill"))
        _ = try operatorClient.checkedCall(.release, as: KillSwitchInfo.self)
        let again = try await withTimeout("call after release") {
            try await client.callTool(name: "get_current_time", arguments: ["timezone": "UTC"])
        }
        #expect(again.isError != true)

        await client.disconnect()
        #expect(gateway.hangUp() == .exited(0))
    }

    @Test func anEditedPolicyFileTakesEffectWithoutARestart() async throws {
        let (gateway, client) = try await Self.start()
        let before = try await withTimeout("denied call") { try await client.callTool(name: "convert_time", arguments: [:]) }
        #expect(before.isError == true)
        try writeFileAtomically(#"{"version": "1", "default": "allow"}"#, to: gateway.policyPath)
        // The gateway notices the change by itself; poll until the new policy answers.
        var allowed = false
        let deadline = ContinuousClock.now + testPatience
        while !allowed, ContinuousClock.now < deadline {
            let r = try await withTimeout("call") {
                try await client.callTool(name: "convert_time", arguments: ["source_timezone": "UTC", "time": "12:00",
                                                                             "target_timezone": "UTC"])
            }
            allowed = r.isError != true
            if !allowed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(allowed, "the edited policy never took effect")
        await client.disconnect()
        #expect(gateway.hangUp() == .exited(0))
    }
}

/// The same process, spoken to in raw JSON-RPC lines, with upstreams that fail.
@Suite struct GatewayProcessTests {
    static let initialize = Msg.request(0, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                         "clientInfo": ["name": "raw", "version": "1"]])

    @Test func anUpstreamThatDiesLeavesNoRequestUnanswered() throws {
        let gateway = try GatewayProcess(policy: Policies.allowAll, upstream: ["/bin/sh", "-c", "read line; exit 3"])
        try gateway.send(Self.initialize)
        let answer = try #require(try gateway.answer(0))
        #expect(answer.errorCode == -32603)
        #expect(answer.errorMessage?.contains("exited with code 3") == true)
        try gateway.send(Msg.call(1, "anything"))
        #expect(try gateway.answer(1)?.errorCode == -32603)
        #expect(gateway.hangUp() == .exited(0))
    }

    @Test func anUpstreamThatCannotStartIsReportedToTheClient() throws {
        let gateway = try GatewayProcess(policy: Policies.allowAll, upstream: ["/nonexistent/mcp-server"])
        try gateway.send(Self.initialize)
        let answer = try #require(try gateway.answer(0))
        #expect(answer.errorCode == -32603)
        #expect(answer.errorMessage?.contains("failed to start") == true)
        #expect(gateway.hangUp() == .exited(0))
    }

    @Test func anInvalidPolicyStopsTheGatewayFromStarting() throws {
        let gateway = try GatewayProcess(policy: #"{"version": "1", "defualt": "allow"}"#, upstream: ["/bin/cat"])
        #expect(gateway.child.waitForExit(timeout: testPatience) == .exited(2))
    }

    @Test func sigtermStopsTheGatewayAndItsUpstream() throws {
        let dir = try TemporaryDirectory()
        let pidFile = dir.file("upstream.pid")
        // An upstream that ignores end of input: only a signal ends it.
        let gateway = try GatewayProcess(policy: Policies.allowAll,
                                         upstream: ["/bin/sh", "-c", "echo $$ > \(pidFile); exec sleep 1000"])
        #expect(gateway.waitForControlSocket())
        // Wait for the whole line: the file exists (empty) before `echo` has written to it.
        let pidText = try #require(waitFor { (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { $0.hasSuffix("\n") ? $0 : nil } })
        let upstreamPID = try #require(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(gateway.child.signal(SIGTERM))
        #expect(gateway.child.waitForExit(timeout: testPatience) == .exited(0))
        #expect(waitUntil { kill(upstreamPID, 0) != 0 }, "the upstream outlived its gateway")
        #expect(!FileManager.default.fileExists(atPath: gateway.controlPath))
    }

    /// Answers every request line with an empty result for its (numeric) id.
    static let echoUpstream = ["sed", "-u", #"s/.*"id":\([0-9]*\).*/{"jsonrpc":"2.0","id":\1,"result":{"content":[]}}/"#]

    @Test func serveFlagsReachTheAuditLog() throws {
        let secret = "s3cret-\(UUID().uuidString)"
        let gateway = try GatewayProcess(policy: Policies.allowAll, upstream: Self.echoUpstream,
                                         extraArguments: ["--audit-args", "hash", "--grant", "ci-bot"])
        try gateway.send(Msg.call(1, "echo", ["password": .string(secret)]))
        let answer = try #require(try gateway.answer(1))
        #expect(answer["result"]?["content"] == [])
        #expect(gateway.hangUp() == .exited(0))
        let rows = try StateStore(directory: gateway.stateDirectory).audit(.init()).map(\.call)
        #expect(rows.count == 1)
        #expect(rows.first?.grant == "ci-bot")
        #expect(rows.first?.outcome == .ok)
        #expect(rows.first?.arguments == .null)
        #expect(rows.first?.argsHash == (["password": .string(secret)] as JSONValue).argumentsHash)
        for path in regularFiles(under: gateway.stateDirectory) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(path) holds the argument")
        }
    }

    @Test func callsInFlightWhenTheClientHangsUpEndInTheAuditLog() throws {
        // An upstream that reads requests but never answers them.
        let gateway = try GatewayProcess(policy: Policies.allowAll, upstream: ["/bin/sh", "-c", "while read line; do :; done; sleep 1000"])
        try gateway.send(Msg.call(1, "slow_tool"))
        let store = try StateStore(directory: gateway.stateDirectory)
        #expect(waitUntil { (try? store.audit(.init()))?.first?.call.outcome == .forwarded })
        #expect(gateway.hangUp() == .exited(0))
        let row = try #require(try store.audit(.init()).first?.call)
        #expect(row.outcome.isFinal, "the call is still '\(row.outcome.rawValue)' in the audit log of a gateway that has stopped")
    }
}
