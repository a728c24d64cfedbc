import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// A new policy takes effect at once, held calls included; a broken one changes nothing.
@Suite struct PolicyReloadTests {
    static func policy(_ text: String) throws -> LoadedPolicy {
        try LoadedPolicy.parse(text: text, file: "new.json", now: Date().timeIntervalSince1970)
    }

    @Test func aReloadDecidesHeldCallsAgain() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        h.call(2, "wire")
        h.call(3, "held_limited")
        for id in 1...3 { _ = try #require(h.pending(.number(id))) }
        try h.enforcer.reload(Self.policy("""
            {"version": "1", "default": "deny",
             "tools": {"transfer": {}, "wire": {"action": "deny", "reason": "No wires today."},
                       "held_limited": {"action": "require_approval"}}}
            """), by: "file change")
        #expect(h.forwarded(1))
        let refused = try #require(h.answer(2))
        #expect(refused.resultText == "No wires today.")
        #expect(!h.forwarded(2))
        // Still needs approval: still held.
        #expect(h.enforcer.pendingApprovals().map(\.call.tool) == ["held_limited"])
        let released = try #require(h.enforcer.recentCalls(limit: 10).first { $0.tool == "transfer" })
        #expect(released.approver == "file change")
        #expect(released.approvalScope == "rule change")
    }

    @Test func aReloadChangesLaterDecisions() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        #expect(h.forwarded(1))
        try h.enforcer.reload(Self.policy(#"{"version": "1", "default": "deny"}"#), by: "SIGHUP")
        h.call(2, "get_time")
        #expect(h.answer(2)?.isToolError == true)
        #expect(!h.forwarded(2))
        #expect(h.enforcer.currentPolicy.file == "new.json")
    }

    @Test func aReloadThatHidesAListedToolTellsTheClient() throws {
        let h = try Harness(policy: Policies.standard)
        OverrideTests.handshake(h)
        h.client(Msg.request(1, "tools/list"))
        h.upstream(Msg.toolList(1, ["get_time", "echo"]))
        try h.enforcer.reload(Self.policy(#"{"version": "1", "default": "allow", "hide": ["echo"]}"#), by: "SIGHUP")
        #expect(h.toClient.messages.filter { $0["method"] == "notifications/tools/list_changed" }.count == 1)
        // A reload that changes no visibility says nothing.
        try h.enforcer.reload(Self.policy(#"{"version": "1", "default": "deny", "hide": ["echo"]}"#), by: "SIGHUP")
        #expect(h.toClient.messages.filter { $0["method"] == "notifications/tools/list_changed" }.count == 1)
    }

    @Test func aRejectedReloadKeepsTheOldPolicy() throws {
        let h = try Harness(policy: Policies.standard)
        let before = h.enforcer.currentPolicy
        let events = LineRecorder()
        _ = h.enforcer.subscribe(send: { events.append($0); return true }, answer: { _ in Array("snapshot".utf8) })
        let broken = #"{"version": "1", "default": "allow", "tools": {"x": {"acton": "deny"}}}"#
        var failure: LoadedPolicy.Failure?
        do { _ = try LoadedPolicy.parse(text: broken, file: "new.json", now: 0) } catch { failure = error }
        let f = try #require(failure)
        h.enforcer.rejectReload(f)
        #expect(h.enforcer.currentPolicy == before)
        h.call(1, "unlisted")
        #expect(h.answer(1)?.isToolError == true)
        h.call(2, "get_time")
        #expect(h.forwarded(2))
        let rejected = try #require(waitFor {
            events.messages.first { $0["params"]?["type"] == "policy.rejected" }
        })
        let errors = rejected["params"]?["errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(errors.contains { $0.contains("acton") })
    }
}
