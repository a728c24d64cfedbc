import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Hostile input on the MCP side, in process: after every bad message the gateway must still
/// answer a valid request correctly, and nothing it did not decide reaches the upstream.
@Suite struct HostileMCPTests {
    /// A valid allowed call goes through and its answer comes back: the gateway keeps serving.
    static func stillServes(_ h: Harness, id: JSONValue = "probe", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let before = h.toClient.count
        h.call(id, "get_time")
        #expect(h.forwarded(id), "the probe call was not forwarded", sourceLocation: sourceLocation)
        h.upstreamAnswers(id, text: "still here")
        let answer = h.toClient.response(id: id)
        #expect(answer?.resultText == "still here", sourceLocation: sourceLocation)
        #expect(h.toClient.count == before + 1, sourceLocation: sourceLocation)
    }

    /// No `tools/call` reached the upstream except to tools the policy allows outright.
    static func onlyAllowedCallsForwarded(_ h: Harness, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for m in h.toUpstream.messages where m["method"] == "tools/call" {
            let name = m["params"]?["name"]?.stringValue ?? ""
            #expect(["get_time", "echo", "limited", "shared_budget", "spend"].contains(name),
                    "\(name) reached the upstream", sourceLocation: sourceLocation)
        }
    }

    static func bytes(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }

    // MARK: - Invalid UTF-8 and malformed JSON

    static let invalidUTF8: [[UInt8]] = [
        // A call whose tool name has a lone continuation byte, an overlong "/", a surrogate
        // encoded in UTF-8, a truncated sequence, and bytes above U+10FFFF.
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_"#.utf8), [0x80], Array(#""}}"#.utf8)),
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time","arguments":{"p":""#.utf8),
              [0xC0, 0xAF], Array(#""}}}"#.utf8)),
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""#.utf8), [0xED, 0xA0, 0x80], Array(#""}}"#.utf8)),
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""#.utf8), [0xE2, 0x82], Array(#""}}"#.utf8)),
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":""#.utf8), [0xF4, 0x90, 0x80, 0x80], Array(#""}}"#.utf8)),
        // Invalid bytes in a key, and outside any string.
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"na"#.utf8), [0xFF], Array(#"me":"get_time"}}"#.utf8)),
        bytes([0xFE, 0xFF], Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)),
        // Escaped lone surrogates.
        Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\ud800"}}"#.utf8),
        Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x\udc00y"}}"#.utf8),
        // NUL and raw control characters inside a string.
        bytes(Array(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"#.utf8), [0x00], Array(#""}}"#.utf8)),
    ]

    @Test(arguments: invalidUTF8)
    func invalidUTF8IsAParseErrorAndNeverForwarded(line: [UInt8]) throws {
        let h = try Harness(policy: Policies.standard)
        h.enforcer.handleClientLine(line)
        #expect(h.toUpstream.count == 0)
        let answer = try #require(h.toClient.messages.first)
        #expect(answer.errorCode == -32700)
        #expect(answer["id"] == .null)
        Self.stillServes(h)
    }

    @Test func malformedJSONOfEveryKindIsAParseErrorAndTheGatewayKeepsServing() throws {
        let h = try Harness(policy: Policies.standard)
        let lines = [
            "{", "}", "[", "]", #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"}}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"}} {"a":1}"#,
            #"{'jsonrpc':'2.0','id':1,'method':'ping'}"#, #"{"jsonrpc":"2.0","id":01,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"ping",}"#, #"{"jsonrpc":"2.0","id":NaN,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"ping"} // comment"#, #"{"id":1,"id":2,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time","name":"delete_everything"}}"#,
            "\u{7F}", "\"unterminated", "-", "1e", "tru", "nul", #"{"a":"\x"}"#, #"{"a":"\u12"}"#,
        ]
        for line in lines { h.client(line) }
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == lines.count)
        for m in h.toClient.messages {
            #expect(m.errorCode == -32700)
            #expect(m["id"] == .null)
        }
        Self.stillServes(h)
    }

    // MARK: - Depth

    @Test(arguments: [257, 1_000, 100_000, 1_000_000])
    func nestingBeyondTheDepthLimitIsRefusedWithoutCrashing(depth: Int) throws {
        let h = try Harness(policy: Policies.standard)
        // Nested arrays in the arguments of an allowed call, and a bare document of brackets.
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        h.client(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time","arguments":{"x":\#(nested)}}}"#)
        h.client(String(repeating: "[", count: depth))
        h.client(String(repeating: #"{"a":"#, count: depth))
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == 3)
        for m in h.toClient.messages { #expect(m.errorCode == -32700) }
        #expect(h.toClient.messages.first?.errorMessage?.contains("deeper than 256") == true)
        Self.stillServes(h)
    }

    @Test func nestingJustWithinTheLimitIsDecidedNormally() throws {
        let h = try Harness(policy: Policies.standard)
        // The envelope uses 3 levels (message, params, arguments), so 253 more fit.
        let nested = String(repeating: "[", count: 253) + String(repeating: "]", count: 253)
        h.client(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time","arguments":{"x":\#(nested)}}}"#)
        #expect(h.forwarded(1))
        h.client(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_everything","arguments":{"x":\#(nested)}}}"#)
        #expect(!h.forwarded(2))
        #expect(h.answer(2)?.gatehouseDecision == "deny")
    }

    // MARK: - Ids

    @Test(arguments: [
        "1.5", "-7", "0", "1e400", "-0.0", "123456789012345678901234567890", "1E+2", #""""#, #""\u0000""#,
        #""\ud83d\ude00""#, "\"" + String(repeating: "x", count: 10_000) + "\"",
    ])
    func unusualButValidIdsAreEchoedExactly(id: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"delete_everything"}}"#)
        let text = try #require(h.toClient.texts.first)
        // The refusal carries the id: numbers byte for byte (never rounded or rewritten), strings
        // as the same string (escapes may be written differently).
        if !id.hasPrefix("\"") { #expect(text.contains(#""id":\#(id)"#)) }
        #expect(try JSONParser.parse(text)["id"] == JSONParser.parse(id))
        h.client(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"get_time"}}"#)
        let forwarded = try #require(h.toUpstream.texts.first)
        #expect(forwarded.contains(#""id":\#(id)"#))
        h.upstream(#"{"jsonrpc":"2.0","id":\#(id),"result":{"content":[]}}"#)
        #expect(h.toClient.count == 2)
        #expect(try h.auditRows().map(\.outcome).sorted { $0.rawValue < $1.rawValue } == [.denied, .ok])
        Self.stillServes(h)
    }

    @Test(arguments: ["null", "true", "false", "{}", #"{"a":1}"#, "[]", "[1]"])
    func idsOfOtherTypesAreInvalidRequestsForEveryMethod(id: String) throws {
        let h = try Harness(policy: Policies.standard)
        for method in ["tools/call", "tools/list", "initialize", "ping", "resources/read"] {
            h.client(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{"name":"get_time"}}"#)
        }
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == 5)
        for m in h.toClient.messages {
            #expect(m.errorCode == -32600)
            #expect(m["id"] == .null)
        }
        Self.stillServes(h)
    }

    @Test func aNumberIdAndTheSameDigitsAsAStringAreDifferentRequests() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(7, "get_time")
        h.call("7", "get_time")
        #expect(h.toUpstream.count == 2)
        h.upstreamAnswers("7", text: "string")
        h.upstreamAnswers(7, text: "number")
        #expect(h.toClient.response(id: 7)?.resultText == "number")
        #expect(h.toClient.response(id: "7")?.resultText == "string")
    }

    @Test func aDuplicateIdWhileTheFirstIsHeldOrInFlightIsRefusedAndNeverForwarded() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "transfer")  // held
        h.call(2, "get_time")  // in flight
        let pending = try #require(h.pending(1))
        for (id, tool) in [(1, "get_time"), (2, "get_time"), (1, "transfer"), (2, "delete_everything")] {
            h.call(.number(id), tool)
        }
        #expect(h.toUpstream.count == 1)
        let refusals = h.toClient.messages
        #expect(refusals.count == 4)
        for r in refusals { #expect(r.errorMessage?.contains("already in progress") == true) }
        // The originals are unaffected: the held call is still held, the forwarded one finishes.
        #expect(h.enforcer.pendingApprovals().map(\.id) == [pending.id])
        h.upstreamAnswers(2, text: "first")
        #expect(h.toClient.messages.last { $0["id"] == 2 }?.resultText == "first")
        Self.stillServes(h)
    }

    // MARK: - Responses to nothing

    @Test func anUpstreamAnswerToAHeldCallIsDroppedNotTakenForItsAnswer() throws {
        let h = try Harness(policy: Policies.standard)
        h.call("h", "transfer")
        let pending = try #require(h.pending("h"))
        // The upstream never saw this request; an "answer" to it is forged or confused.
        h.upstream(Msg.textResult("h", "transferred everything"))
        #expect(h.toClient.count == 0)
        #expect(h.enforcer.pendingApprovals().map(\.id) == [pending.id])
        _ = try h.enforcer.deny(DenyParams(id: pending.id, reason: "no"), by: "op")
        let answers = h.toClient.messages.filter { $0["id"] == "h" }
        #expect(answers.count == 1)
        #expect(answers.first?.gatehouseDecision == "deny")
        #expect(!h.forwarded("h"))
        Self.stillServes(h)
    }

    @Test func upstreamAnswersToRequestsNobodySentDoNotDisturbRealCalls() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        h.upstreamAnswers(999, text: "to nobody")
        h.upstream(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        #expect(h.enforcer.state.withLock { $0.inFlight.count } == 1)
        h.upstreamAnswers(1, text: "real")
        #expect(h.toClient.response(id: 1)?.resultText == "real")
        #expect(try h.auditRows().first?.outcome == .ok)
        Self.stillServes(h)
    }

    @Test func clientResponsesToNothingAreNotTakenForDecisions() throws {
        let h = try Harness(policy: Policies.standard)
        h.call("h", "transfer")
        let pending = try #require(h.pending("h"))
        // A client "answering" its own held request, or an approval-looking response, decides nothing.
        h.client(Msg.result("h", ["approved": true]))
        h.client(Msg.result(.string(pending.id), ["approved": true]))
        #expect(h.enforcer.pendingApprovals().map(\.id) == [pending.id])
        #expect(!h.forwarded("h"))
        Self.stillServes(h)
    }

    // MARK: - Methods and params

    @Test func unknownMethodsAreForwardedAndTheUpstreamsErrorComesBack() throws {
        let h = try Harness(policy: Policies.standard)
        for (i, m) in ["tools/cal", "TOOLS/CALL", "tools/call/", " tools/call", "", "rpc.discover", String(repeating: "m", count: 100_000)].enumerated() {
            h.client(Msg.request(.number(i), m, ["name": "delete_everything"]))
        }
        // None of them is `tools/call`, so none is decided, and none is a call to the tool.
        #expect(h.toUpstream.count == 7)
        #expect(h.toUpstream.messages.allSatisfy { $0["method"] != "tools/call" })
        for i in 0..<7 { h.upstream(Msg.error(.number(i), code: -32601, "Method not found")) }
        #expect(h.toClient.messages.map(\.errorCode) == Array(repeating: -32601, count: 7))
        Self.stillServes(h)
    }

    @Test(arguments: [
        #"{"name":"get_time","arguments":"{}"}"#, #"{"name":"get_time","arguments":[]}"#, #"{"name":"get_time","arguments":1}"#,
        #"{"name":"get_time","arguments":true}"#, #"{"arguments":{}}"#, #"{"name":["get_time"]}"#, #"{"name":{"a":"get_time"}}"#,
        #""get_time""#, "42", "null",
    ])
    func aToolsCallWithoutANameOrWithNonObjectArgumentsIsInvalidParams(params: String) throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":\#(params)}"#)
        #expect(h.toUpstream.count == 0)
        #expect(h.answer(3)?.errorCode == -32602)
        Self.stillServes(h)
    }

    @Test func aToolsCallNotificationIsNeitherDecidedNorForwarded() throws {
        let h = try Harness(policy: Policies.standard)
        // Without an id it is a notification: nothing may be executed on its behalf.
        h.client(#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"delete_everything"}}"#)
        h.client(#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"get_time"}}"#)
        #expect(!h.toUpstream.messages.contains { $0["method"] == "tools/call" })
        Self.stillServes(h)
    }

    // MARK: - The upstream misbehaves

    @Test func upstreamGarbageIsDroppedAndTheCallStillCompletes() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        for line in [[0xFF, 0xFE, 0x00], Array("Traceback (most recent call last):".utf8),
                     Array(String(repeating: "[", count: 100_000).utf8), Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":".utf8),
                     Array(#"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"\ud800"}]}}"#.utf8),
                     Array("null".utf8), Array("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}]".utf8)] as [[UInt8]] {
            h.enforcer.handleUpstreamLine(line)
        }
        #expect(h.toClient.count == 0)
        h.upstreamAnswers(1, text: "after the garbage")
        #expect(h.answer(1)?.resultText == "after the garbage")
        Self.stillServes(h)
    }

    @Test func anUpstreamMessageOverTheLimitIsDroppedAndTheCallCanBeCancelled() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        h.enforcer.handleUpstreamTooLong(100 << 20, limit: 16 << 20)
        #expect(h.toClient.count == 0)
        h.client(Msg.notification("notifications/cancelled", ["requestId": 1, "reason": "no answer"]))
        #expect(try h.auditRows().first?.outcome == .cancelled)
        Self.stillServes(h)
    }

    @Test func theUpstreamDyingMidCallAnswersEverythingOpenAndForwardsNothingMore() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        h.call(2, "transfer")
        h.client(Msg.request(3, "tools/list"))
        h.client(Msg.request(4, "resources/list"))
        _ = try #require(h.pending(2))
        h.enforcer.upstreamExited("exited (signal 9)")
        for id in [1, 2, 3, 4] as [JSONValue] { #expect(h.answer(id)?.errorCode == -32603) }
        #expect(h.enforcer.pendingApprovals().isEmpty)
        let forwardedBefore = h.toUpstream.count
        h.call(5, "get_time")
        #expect(h.answer(5)?.errorCode == -32603)
        #expect(h.toUpstream.count == forwardedBefore)
        let outcomes = try h.auditRows().map(\.outcome)
        #expect(outcomes.allSatisfy { $0 == .error }, "\(outcomes)")
        Self.onlyAllowedCallsForwarded(h)
    }

    // MARK: - The client leaves

    @Test func aClientThatLeavesMidCallLeavesNothingOpen() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        h.call(2, "transfer")
        _ = try #require(h.pending(2))
        h.enforcer.clientClosed()
        h.enforcer.abandonInFlight("the gateway shut down (the client closed the connection) before the upstream answered")
        #expect(h.enforcer.pendingApprovals().isEmpty)
        #expect(h.enforcer.state.withLock { $0.inFlight.isEmpty })
        let rows = try h.auditRows()
        #expect(Set(rows.map(\.outcome)) == [.cancelled, .error])
        #expect(!h.forwarded(2))
    }
}
