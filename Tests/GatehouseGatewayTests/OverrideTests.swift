import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Operators' per-tool overrides: saved before they are acknowledged, and the agent is told
/// when what it can see changes.
@Suite struct OverrideTests {
    static func listChangedCount(_ h: Harness) -> Int {
        h.toClient.messages.filter { $0["method"] == "notifications/tools/list_changed" }.count
    }

    /// A pre-2026 client: the `initialize` handshake, after which list_changed may be sent at any time.
    static func handshake(_ h: Harness) {
        h.client(Msg.request("init", "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                    "clientInfo": ["name": "t", "version": "1"]]))
        h.upstream(["jsonrpc": "2.0", "id": "init", "result": ["protocolVersion": "2025-06-18",
                    "capabilities": ["tools": ["listChanged": false]], "serverInfo": ["name": "u", "version": "1"]]])
    }

    /// Lists the tools once, so the gateway knows the upstream's catalogue.
    static func listTools(_ h: Harness, _ names: [String] = ["get_time", "echo", "secret_keys"]) {
        handshake(h)
        h.client(Msg.request("list", "tools/list"))
        h.upstream(Msg.toolList("list", names))
        h.toClient.removeAll()
        h.toUpstream.removeAll()
    }

    @Test func aDenyOverrideBlocksAToolAndPersists() throws {
        let dir = try TemporaryDirectory()
        do {
            let h = try Harness(policy: Policies.standard, storage: .shared(dir))
            Self.listTools(h)
            let info = try h.enforcer.setOverride(tool: "get_time", action: .deny, by: "ops")
            #expect(info.override == "deny")
            #expect(info.state == "denied")
            // Still visible, so no list change.
            #expect(Self.listChangedCount(h) == 0)
            h.call(1, "get_time")
            #expect(h.answer(1)?.resultText == #"Tool "get_time" was blocked by operator ops."#)
            #expect(h.toUpstream.count == 0)
        }
        let again = try Harness(policy: Policies.standard, storage: .shared(dir))
        again.call(1, "get_time")
        #expect(again.answer(1)?.isToolError == true)
        _ = try again.enforcer.setOverride(tool: "get_time", action: nil, by: "ops")
        again.call(2, "get_time")
        #expect(again.forwarded(2))
        let third = try Harness(policy: Policies.standard, storage: .shared(dir))
        third.call(1, "get_time")
        #expect(third.forwarded(1))
    }

    @Test func allowingAHiddenToolShowsItAndTellsTheClient() throws {
        let h = try Harness(policy: Policies.standard)
        Self.listTools(h)
        _ = try h.enforcer.setOverride(tool: "secret_keys", action: .allow, by: "ops")
        #expect(Self.listChangedCount(h) == 1)
        let note = try #require(h.toClient.messages.first)
        #expect(note == Msg.notification("notifications/tools/list_changed", [:]))

        h.client(Msg.request(2, "tools/list"))
        h.upstream(Msg.toolList(2, ["get_time", "echo", "secret_keys"]))
        #expect(h.answer(2)?.toolNames == ["get_time", "echo", "secret_keys"])
        h.call(3, "secret_keys")
        #expect(h.forwarded(3))

        // Clearing it hides the tool again, and the client hears of that too.
        _ = try h.enforcer.setOverride(tool: "secret_keys", action: nil, by: "ops")
        #expect(Self.listChangedCount(h) == 2)
        h.call(4, "secret_keys")
        #expect(h.answer(4)?.isToolError == true)
    }

    @Test func anOverrideThatChangesNoVisibilitySendsNoNotification() throws {
        let h = try Harness(policy: Policies.standard)
        Self.listTools(h)
        _ = try h.enforcer.setOverride(tool: "echo", action: .requireApproval, by: "ops")
        _ = try h.enforcer.setOverride(tool: "get_time", action: .deny, by: "ops")
        _ = try h.enforcer.setOverride(tool: "get_time", action: .allow, by: "ops")
        #expect(Self.listChangedCount(h) == 0)
        h.call(1, "echo")
        #expect(h.pending(1) != nil)
        #expect(!h.forwarded(1))
    }

    @Test func anAllowOverrideReleasesHeldCallsOfTheTool() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        h.call(2, "wire")
        _ = try #require(h.pending(1))
        _ = try #require(h.pending(2))
        _ = try h.enforcer.setOverride(tool: "transfer", action: .allow, by: "ops")
        #expect(h.forwarded(1))
        #expect(!h.forwarded(2))
        _ = try h.enforcer.setOverride(tool: "wire", action: .deny, by: "ops")
        #expect(h.answer(2)?.isToolError == true)
        #expect(h.enforcer.pendingApprovals().isEmpty)
    }

    @Test func anOverrideForAToolTheUpstreamNeverListedIsShownToOperators() throws {
        let h = try Harness(policy: Policies.standard)
        _ = try h.enforcer.setOverride(tool: "future_tool", action: .deny, by: "ops")
        let info = try #require(h.enforcer.snapshot().tools.first { $0.name == "future_tool" })
        #expect(info.override == "deny")
        #expect(throws: Enforcer.CommandError.self) { _ = try h.enforcer.setOverride(tool: "", action: .deny, by: "ops") }
    }

    @Test func aModernClientHearsOfChangesOnlyOnASubscriptionThatAskedForThem() throws {
        let h = try Harness(policy: Policies.standard)
        let meta: JSONValue = ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]
        h.client(Msg.request("l", "tools/list", ["_meta": meta]))
        h.upstream(Msg.toolList("l", ["get_time", "echo", "secret_keys"]))
        h.toClient.removeAll()
        h.toUpstream.removeAll()
        // No handshake and no subscription: a 2026-07-28 client must not get unrequested notifications.
        _ = try h.enforcer.setOverride(tool: "secret_keys", action: .allow, by: "ops")
        #expect(Self.listChangedCount(h) == 0)
        h.client(Msg.request(9, "subscriptions/listen", ["_meta": meta, "notifications": ["toolsListChanged": true]]))
        #expect(h.toUpstream.count == 1)
        _ = try h.enforcer.setOverride(tool: "secret_keys", action: nil, by: "ops")
        let notes = h.toClient.messages.filter { $0["method"] == "notifications/tools/list_changed" }
        #expect(notes.count == 1)
        #expect(notes.first?["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 9)
        // Once the client cancels the stream, it hears nothing more.
        h.client(Msg.notification("notifications/cancelled", ["requestId": 9]))
        _ = try h.enforcer.setOverride(tool: "secret_keys", action: .allow, by: "ops")
        #expect(Self.listChangedCount(h) == 1)
    }

    @Test func aRefusalToAModernRequestSaysItsResultType() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(4, "tools/call", ["name": "secret_keys", "arguments": [:],
                                               "_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]]))
        #expect(h.answer(4)?["result"]?["resultType"] == "complete")
        h.client(Msg.request(5, "tools/call", ["name": "secret_keys", "arguments": [:]]))
        #expect(h.answer(5)?["result"]?["resultType"] == nil)
        #expect(h.answer(5)?.isToolError == true)
    }
}
