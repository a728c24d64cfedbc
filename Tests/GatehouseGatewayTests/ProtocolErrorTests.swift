import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Malformed client messages get the JSON-RPC error the spec names, and never reach the upstream.
@Suite struct ProtocolErrorTests {
    static func onlyAnswer(_ h: Harness) -> JSONValue? {
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == 1)
        return h.toClient.messages.first
    }

    @Test(arguments: ["{", #"{"jsonrpc":"2.0","id":1,"method":"x""#, "nope", #"{"a":1,"a":2}"#, "\u{1}"])
    func invalidJSONIsAParseError(line: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(line)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32700)
        #expect(answer["id"] == .null)
        #expect(answer["jsonrpc"] == "2.0")
    }

    @Test func batchesAreRefused() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"}}]"#)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
        #expect(answer["id"] == .null)
        #expect(answer.errorMessage?.contains("batches are not supported") == true)
    }

    @Test(arguments: [#""hello""#, "42", "null", "true"])
    func aMessageThatIsNotAnObjectIsAnInvalidRequest(line: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(line)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
    }

    @Test(arguments: ["true", "{}", "[1]", "null", "false"])
    func aBadIdIsAnInvalidRequest(id: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"get_time"}}"#)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
        #expect(answer["id"] == .null)
    }

    @Test func aMethodThatIsNotAStringIsAnInvalidRequest() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":5,"method":42}"#)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
        #expect(answer["id"] == 5)
    }

    @Test func aRequestWithoutAMethodIsAnInvalidRequest() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":5}"#)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
        #expect(answer["id"] == 5)
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call"}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":[]}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{}}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":""}}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":7}}"#,
        #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":null}}"#,
    ])
    func aCallWithoutAToolNameIsInvalidParams(line: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(line)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32602)
        #expect(answer["id"] == 9)
        #expect(h.enforcer.recentCalls(limit: 10).isEmpty)
    }

    @Test(arguments: [(#"[1,2]"#, "an array"), (#""x=1""#, "a string"), ("3", "a number"), ("true", "a boolean")])
    func argumentsThatAreNotAnObjectAreInvalidParams(arguments: String, typeName: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"get_time","arguments":\#(arguments)}}"#)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32602)
        #expect(answer["id"] == "a")
        #expect(answer.errorMessage == "Invalid params: tools/call arguments must be an object, not \(typeName)")
    }

    @Test func aDuplicateInFlightIdIsRefusedAndTheFirstCallIsUnharmed() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo", ["n": 1])
        h.call(1, "echo", ["n": 2])
        let refusal = try #require(h.answer(1))
        #expect(refusal.errorCode == -32600)
        #expect(refusal.errorMessage?.contains("already in progress") == true)
        #expect(h.toUpstream.count == 1)
        h.toClient.removeAll()
        h.upstreamAnswers(1, text: "first")
        #expect(h.answer(1)?.resultText == "first")
        // Once answered, the id can be used again.
        h.call(1, "echo", ["n": 3])
        #expect(h.toUpstream.count == 2)
    }

    @Test func aDuplicateOfAHeldCallsIdIsRefused() throws {
        let h = try Harness(policy: Policies.standard)
        h.call("x", "transfer")
        _ = try #require(h.pending("x"))
        h.call("x", "get_time")
        #expect(h.answer("x")?.errorCode == -32600)
        #expect(h.toUpstream.count == 0)
        #expect(h.enforcer.pendingApprovals().count == 1)
    }

    @Test func aDuplicateIdAcrossMethodsIsRefused() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo")
        h.client(Msg.request(1, "resources/read", ["uri": "x"]))
        #expect(h.answer(1)?.errorCode == -32600)
        h.client(Msg.request(2, "tools/list"))
        h.call(2, "echo")
        h.client(Msg.request(2, "initialize", [:]))
        #expect(h.toClient.messages.filter { $0["id"] == 2 && $0.errorCode == -32600 }.count == 2)
        #expect(h.toUpstream.count == 2)
        // The answers still reach the right requests.
        h.upstreamAnswers(1, text: "echoed")
        h.upstream(Msg.toolList(2, ["get_time", "secret_x"]))
        #expect(h.toClient.messages.last?.toolNames == ["get_time"])
        #expect(h.enforcer.recentCalls(limit: 5).first?.outcome == .ok)
        #expect(h.enforcer.recentCalls(limit: 5).first?.resultPreview == "echoed")
        // Answered ids are free again.
        h.client(Msg.request(1, "resources/read", ["uri": "x"]))
        #expect(h.toUpstream.count == 3)
    }

    @Test func numberAndStringIdsAreDifferentRequests() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo")
        h.call("1", "echo")
        #expect(h.toUpstream.count == 2)
        #expect(h.toClient.count == 0)
    }

    @Test func anOverlongMessageIsReported() throws {
        let h = try Harness(policy: Policies.standard)
        h.enforcer.handleClientTooLong(20_000_000, limit: 16 << 20)
        let answer = try #require(Self.onlyAnswer(h))
        #expect(answer.errorCode == -32600)
        #expect(answer.errorMessage?.contains("20000000 bytes") == true)
    }
}
