import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// `tools/call` decisions: allowed calls cross untouched, refused ones never reach the upstream.
@Suite struct ToolCallDecisionTests {
    @Test(arguments: Backend.allCases)
    func anAllowedCallIsForwardedVerbatimAndItsAnswerReturnedVerbatim(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        let request = #"{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"get_time","arguments":{"timezone":"Europe/Paris","n":1.0e0}}}"#
        h.client(request)
        #expect(h.toUpstream.texts == [request])
        #expect(h.toClient.count == 0)
        let answer = #"{"jsonrpc":"2.0","id":"call-1","result":{"content":[{"type":"text","text":"12:00"}],"isError":false,"structuredContent":{"t":"12:00"}}}"#
        h.upstream(answer)
        #expect(h.toClient.texts == [answer])
    }

    @Test func aDeniedCallIsAnsweredWithAToolErrorAndTheReasonAndNeverForwarded() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "delete_everything", ["confirm": true])
        let answer = try #require(h.answer(1))
        #expect(answer.isToolError)
        #expect(answer.resultText == "Deleting everything is never allowed.")
        #expect(answer.gatehouseDecision == "deny")
        #expect(answer["result"]?["_meta"]?["gatehouse/rule"] == #"tools["delete_everything"]"#)
        #expect(h.toUpstream.count == 0)
    }

    @Test func aToolThePolicyDoesNotListFallsToTheDefault() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "unlisted_tool")
        let answer = try #require(h.answer(1))
        #expect(answer.isToolError)
        #expect(answer.resultText?.contains("not allowed by policy (default: deny)") == true)
        #expect(h.toUpstream.count == 0)
    }

    @Test func aHiddenToolCannotBeCalled() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "secret_keys")
        let answer = try #require(h.answer(1))
        #expect(answer.isToolError)
        #expect(answer.resultText == #"Tool "secret_keys" is not available."#)
        #expect(h.toUpstream.count == 0)
    }

    @Test(arguments: Backend.allCases)
    func aRateLimitedCallIsAnsweredWithAToolErrorAndNeverForwarded(backend: Backend) throws {
        let h = try Harness(policy: Policies.standard, storage: backend.storage)
        for id in 1...2 {
            h.call(.number(id), "limited")
            h.upstreamAnswers(.number(id))
        }
        h.call(3, "limited")
        let answer = try #require(h.answer(3))
        #expect(answer.isToolError)
        #expect(answer.gatehouseDecision == "rate_limited")
        let text = try #require(answer.resultText)
        #expect(text.contains("Rate limit reached"))
        #expect(text.contains("2/2"))
        #expect(text.contains("Retry after"))
        #expect(!h.forwarded(3))
        #expect(h.toUpstream.count == 2)
    }

    @Test func aSpendCapCountsTheArgumentAndRefusesWhatWouldOverflow() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "spend", ["amount": 60])
        h.upstreamAnswers(1)
        h.call(2, "spend", ["amount": 50])
        let refused = try #require(h.answer(2))
        #expect(refused.isToolError)
        #expect(refused.resultText?.contains("this call would add 50") == true)
        h.call(3, "spend", ["amount": 40])
        #expect(h.forwarded(3))
        #expect(!h.forwarded(2))
        // A call that does not give the counted argument is refused, not charged nothing.
        h.call(4, "spend", [:])
        #expect(try #require(h.answer(4)).isToolError)
        #expect(!h.forwarded(4))
    }

    @Test func theUpstreamsOwnToolErrorIsPassedOnAsItIs() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo", ["text": "x"])
        let answer = #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"boom"}],"isError":true}}"#
        h.upstream(answer)
        #expect(h.toClient.texts == [answer])
    }

    @Test func callsWithoutArgumentsOrWithNullArgumentsAreAllowed() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_time"}}"#)
        h.client(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_time","arguments":null}}"#)
        #expect(h.forwarded(1))
        #expect(h.forwarded(2))
    }

    @Test func answersToInterleavedCallsGoToTheirOwnRequests() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "echo", ["text": "one"])
        h.call("1", "echo", ["text": "string one"])
        h.call(2, "get_time")
        h.upstreamAnswers(2, text: "two")
        h.upstreamAnswers("1", text: "string")
        h.upstreamAnswers(1, text: "number")
        #expect(h.answer(2)?.resultText == "two")
        #expect(h.answer("1")?.resultText == "string")
        #expect(h.answer(1)?.resultText == "number")
        let calls = h.enforcer.recentCalls(limit: 10)
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.outcome == .ok })
    }
}
