import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Every call leaves one audit row that ends in its outcome.
@Suite struct AuditLogTests {
    @Test func everyOutcomeIsRecorded() throws {
        let h = try Harness(policy: Policies.shortTimeout(onTimeout: "deny").replacingOccurrences(
            of: #""tools": {"#,
            with: #""tools": {"ok": {}, "fails": {}, "nope": {"action": "deny"}, "few": {"rate_limit": "1/hour"},"#))
        h.call(1, "ok", ["x": 1])
        h.upstreamAnswers(1)
        h.call(2, "fails")
        h.upstream(Msg.error(2, code: -32000, "it broke"))
        h.call(3, "nope")
        h.call(4, "few")
        h.call(5, "few")
        h.call(6, "slow", ["to": "bob"])
        let approved = try #require(h.pending(6))
        _ = try h.enforcer.approve(ApproveParams(id: approved.id, scope: .once), by: "bob")
        h.upstreamAnswers(6)
        h.call(7, "transfer")
        let timedOut = try #require(h.pending(7))
        h.call(8, "slow")
        let cancelled = try #require(h.pending(8))
        h.client(Msg.notification("notifications/cancelled", ["requestId": 8]))
        h.call(9, "slow")
        let denied = try #require(h.pending(9))
        _ = try h.enforcer.deny(DenyParams(id: denied.id, reason: "no"), by: "carol")
        _ = try #require(h.answer(7))  // the timeout

        let rows = try h.auditRows()
        let byTool = Dictionary(grouping: rows, by: \.tool)
        #expect(rows.count == 9)
        #expect(byTool["ok"]?.first?.outcome == .ok)
        #expect(byTool["ok"]?.first?.decision == "allow")
        #expect(byTool["ok"]?.first?.resultPreview == "done")
        #expect(byTool["ok"]?.first?.latencyMs != nil)
        #expect(byTool["ok"]?.first?.arguments == ["x": 1])
        #expect(byTool["fails"]?.first?.outcome == .error)
        #expect(byTool["fails"]?.first?.resultPreview == "it broke")
        #expect(byTool["nope"]?.first?.outcome == .denied)
        #expect(byTool["nope"]?.first?.decision == "deny")
        #expect(byTool["few"]?.map(\.outcome) == [.forwarded, .rateLimited])

        let approvedRow = try #require(rows.first { $0.id == approved.id })
        #expect(approvedRow.decision == "hold")
        #expect(approvedRow.outcome == .ok)
        #expect(approvedRow.approver == "bob")
        #expect(approvedRow.approvalScope == "once")

        #expect(rows.first { $0.id == timedOut.id }?.outcome == .timedOut)
        #expect(rows.first { $0.id == cancelled.id }?.outcome == .cancelled)
        let deniedRow = try #require(rows.first { $0.id == denied.id })
        #expect(deniedRow.outcome == .denied)
        #expect(deniedRow.approver == "carol")
        #expect(deniedRow.reason == "Denied by operator carol: no.")

        // Every row names the gateway, session and grant it came from.
        #expect(rows.allSatisfy { $0.gateway == "test" && $0.session == "session-1" && $0.grant == "alice" })
        #expect(rows.allSatisfy { !$0.trace.isEmpty })
    }

    @Test func aForwardedCallIsOnRecordBeforeItsAnswer() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        #expect(h.forwarded(1))
        let row = try #require(try h.auditRows().first)
        #expect(row.outcome == .forwarded)
        h.upstreamAnswers(1)
        #expect(try h.auditRows().first?.outcome == .ok)
    }

    @Test func aStandingApprovalIsRecordedWithItsScope() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")
        let p = try #require(h.pending(1))
        _ = try h.enforcer.approve(ApproveParams(id: p.id, scope: .duration, durationSeconds: 5400), by: "bob")
        let row = try #require(try h.auditRow(callID: p.id))
        #expect(row.approver == "bob")
        #expect(row.approvalScope == "for 1h30m")
    }

    @Test func inHashModeNoArgumentRestsOnDisk() throws {
        let h = try Harness(policy: Policies.standard, auditArguments: .hash)
        let secret = "hunter2-\(UUID().uuidString)"
        h.call(1, "echo", ["password": .string(secret)])
        h.upstreamAnswers(1)
        h.call(2, "transfer", ["password": .string(secret)])
        let p = try #require(h.pending(2))
        _ = try h.enforcer.deny(DenyParams(id: p.id), by: "bob")
        let rows = try h.auditRows()
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.arguments == .null })
        #expect(rows.allSatisfy { $0.argsHash == (["password": .string(secret)] as JSONValue).argumentsHash })
        // Not in the database file, its write-ahead log, nor the audit journal.
        let dir = try #require(h.directory).file("state")
        let files = regularFiles(under: dir)
        for path in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(path) holds the argument")
        }
        #expect(files.count >= 3, "expected the database, its log and the journal: \(files)")
    }

    @Test func inFullModeArgumentsAreKept() throws {
        let h = try Harness(policy: Policies.standard, auditArguments: .full)
        h.call(1, "echo", ["text": "kept", "n": 1.5])
        #expect(try h.auditRows().first?.arguments == ["text": "kept", "n": 1.5])
    }

    @Test func theAuditQueryFilters() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        h.call(2, "delete_everything")
        h.call(3, "get_time")
        let store = try #require(h.store)
        #expect(try store.audit(.init(tool: "get_time")).count == 2)
        #expect(try store.audit(.init(decision: "denied")).map(\.call.tool) == ["delete_everything"])
        #expect(try store.audit(.init(decision: "deny")).map(\.call.tool) == ["delete_everything"])
        let all = try store.audit(.init())
        #expect(try store.audit(.init(afterSeq: all[0].seq)).count == 2)
        #expect(try store.audit(.init(limit: 1)).map(\.call.tool) == ["get_time"])
    }
}
