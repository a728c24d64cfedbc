import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Testing
@testable import GatehouseGateway

/// The control socket's JSON-RPC: handshake, errors, and a connection that survives them.
@Suite struct ControlProtocolTests {
    @Test func helloIsRequiredFirst() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        let refused = try #require(try c.request(1, "status"))
        #expect(refused.errorCode == -32000)
        #expect(refused.errorMessage == "send hello first")
        #expect(refused["id"] == 1)

        let hello = try #require(try c.request(2, "hello", ["protocolVersion": 1, "client": "raw"]))
        #expect(hello["result"]?["protocolVersion"] == 1)
        #expect(hello["result"]?["gateway"]?["name"] == "test")
        #expect(hello["result"]?["operatorName"]?.stringValue == Transport.userName(uid: Transport.currentUID))

        let status = try #require(try c.request(3, "status"))
        #expect(status["result"]?["gateway"]?["name"] == "test")
        #expect(status["result"]?["upstreamRunning"] == true)
    }

    @Test func aProtocolVersionMismatchIsRefused() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        let refused = try #require(try c.request(1, "hello", ["protocolVersion": 99, "client": "future"]))
        #expect(refused.errorCode == -32001)
        #expect(refused.errorMessage?.contains("protocol version 99 is not supported") == true)
        // Still not greeted.
        #expect(try c.request(2, "pending")?.errorCode == -32000)
        // The connection is still usable.
        try c.hello()
        #expect(try c.request(3, "pending")?["result"] == [])
    }

    @Test func anUnknownMethodSuggestsTheNearestOne() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        try c.hello()
        let answer = try #require(try c.request(1, "stauts"))
        #expect(answer.errorCode == -32601)
        #expect(answer.errorMessage == #"unknown method "stauts" (did you mean "status"?)"#)
        let far = try #require(try c.request(2, "xyzzy-plugh"))
        #expect(far.errorCode == -32601)
        #expect(far.errorMessage == #"unknown method "xyzzy-plugh""#)
    }

    @Test func invalidParamsAreExplained() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        try c.hello()
        let missing = try #require(try c.request(1, "approve", [:]))
        #expect(missing.errorCode == -32602)
        #expect(missing.errorMessage == #"missing parameter "id""#)
        let wrongType = try #require(try c.request(2, "deny", ["id": 5]))
        #expect(wrongType.errorCode == -32602)
        #expect(wrongType.errorMessage == #"parameter "id" has the wrong type"#)
        let badScope = try #require(try c.request(3, "approve", ["id": "abcd", "scope": "forever"]))
        #expect(badScope.errorCode == -32602)
        let badAction = try #require(try c.request(4, "tool.override", ["tool": "x", "action": "maybe"]))
        #expect(badAction.errorCode == -32602)
        #expect(badAction.errorMessage?.contains(#"not "maybe""#) == true)
        let badHello = try #require(try c.request(5, "hello", ["protocolVersion": "one"]))
        #expect(badHello.errorCode == -32602)
        let notAnObject = try #require(try c.request(6, "calls", [1, 2]))
        #expect(notAnObject.errorCode == -32602)
    }

    @Test func garbageGetsParseErrorsAndTheConnectionStaysUsable() throws {
        let f = try ControlFixture()
        let c = try f.raw()
        try c.send("this is not json")
        let parse = try #require(try c.next())
        #expect(parse.errorCode == -32700)
        #expect(parse["id"] == .null)
        try c.send("[1, 2]")
        #expect(try c.next()?.errorCode == -32600)
        try c.send(#"{"jsonrpc":"2.0","id":7}"#)
        let noMethod = try #require(try c.next())
        #expect(noMethod.errorCode == -32600)
        #expect(noMethod["id"] == 7)
        try c.send("{\"truncated\": ")
        #expect(try c.next()?.errorCode == -32700)
        try c.send("   ")  // blank: no answer at all
        try c.hello()
        #expect(try c.request(8, "pending")?["result"] == [])
    }

    @Test func operatorCommandsActAndAnswer() throws {
        let f = try ControlFixture()
        let c = try f.client()
        #expect(c.hello.gateway.name == "test")
        let me = c.hello.operatorName

        let killed = try c.checkedCall(.kill, KillParams(reason: "drill"), as: KillSwitchInfo.self)
        #expect(killed.engaged && killed.by == me && killed.reason == "drill")
        #expect(f.enforcer.snapshot().killSwitch.engaged)
        let released = try c.checkedCall(.release, as: KillSwitchInfo.self)
        #expect(!released.engaged)

        let info = try c.checkedCall(.toolOverride, ToolOverrideParams(tool: "get_time", action: "deny"), as: ToolInfo.self)
        #expect(info.override == "deny" && info.overrideBy == me)
        let cleared = try c.checkedCall(.toolOverride, ToolOverrideParams(tool: "get_time", action: "clear"), as: ToolInfo.self)
        #expect(cleared.override == nil)

        f.harness.call(1, "transfer", ["amount": 3])
        let pending = try c.checkedCall(.pending, as: [PendingApproval].self)
        #expect(pending.map(\.call.tool) == ["transfer"])
        let resolved = try c.checkedCall(.approve, ApproveParams(id: pending[0].id, argsHash: pending[0].call.argsHash),
                                         as: ResolveResult.self)
        #expect(resolved.call.approver == me)
        #expect(f.harness.forwarded(1))

        let calls = try c.checkedCall(.calls, CallsParams(limit: 1), as: [CallRecord].self)
        #expect(calls.count == 1)
        #expect(calls[0].tool == "transfer")
    }

    @Test func commandErrorsCarryTheirCodes() throws {
        let f = try ControlFixture()
        let c = try f.client()
        func code(_ body: () throws -> Void) -> Int? {
            do {
                try body()
                return nil
            } catch {
                return (error as? ControlClientError)?.code
            }
        }
        #expect(code { _ = try c.checkedCall(.approve, ApproveParams(id: "nothing-here"), as: ResolveResult.self) } == -32002)
        f.harness.call(1, "transfer", ["amount": 3])
        let p = try #require(f.harness.pending(1))
        #expect(code { _ = try c.checkedCall(.approve, ApproveParams(id: p.id, argsHash: "00"), as: ResolveResult.self) } == -32004)
        #expect(code { _ = try c.checkedCall(.approve, ApproveParams(id: p.id, scope: .duration), as: ResolveResult.self) } == -32602)
        _ = try c.checkedCall(.deny, DenyParams(id: p.id, reason: "no"), as: ResolveResult.self)
        #expect(code { _ = try c.checkedCall(.deny, DenyParams(id: p.id), as: ResolveResult.self) } == -32003)
        #expect(code { _ = try c.checkedCall(.toolOverride, ToolOverrideParams(tool: "", action: "deny"), as: ToolInfo.self) } == -32602)
    }

    @Test func reloadReadsThePolicyFileOrKeepsTheOldOne() throws {
        let f = try ControlFixture()
        let c = try f.client()
        try writeFileAtomically(#"{"version": "1", "default": "allow"}"#, to: f.policyPath)
        let result = try c.checkedCall(.reload, as: ReloadResult.self)
        #expect(result.policy.defaultAction == "allow")
        f.harness.call(1, "anything")
        #expect(f.harness.forwarded(1))

        try writeFileAtomically(#"{"version": "1", "default": "deny", "tols": {}}"#, to: f.policyPath)
        do {
            _ = try c.checkedCall(.reload, as: ReloadResult.self)
            Issue.record("an invalid policy was accepted")
        } catch let error as ControlClientError {
            #expect(error.code == -32005)
            guard case .rpc(_, let message, let data) = error else { return }
            #expect(message.contains("previous policy stays in force"))
            #expect(data.contains { $0.contains("tols") })
        }
        #expect(f.enforcer.currentPolicy.defaultAction == "allow")
        f.harness.call(2, "anything")
        #expect(f.harness.forwarded(2))
    }
}
