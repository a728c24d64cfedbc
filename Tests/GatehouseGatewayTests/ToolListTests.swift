import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Hidden tools do not exist for the agent: every `tools/list` page loses them.
@Suite struct ToolListTests {
    @Test func hiddenToolsAreRemovedFromTheList() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "tools/list"))
        #expect(h.forwarded(1))
        h.upstream(Msg.toolList(1, ["get_time", "secret_keys", "echo", "secret_vault"]))
        let answer = try #require(h.answer(1))
        #expect(answer.toolNames == ["get_time", "echo"])
        // The kept entries are whole.
        #expect(answer["result"]?["tools"]?.arrayValue?.first?["inputSchema"]?["type"] == "object")
        #expect(answer["result"]?["tools"]?.arrayValue?.first?["description"] == "The get_time tool.")
    }

    @Test func aListWithNothingHiddenPassesVerbatim() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "tools/list"))
        let original = #"{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"get_time","inputSchema":{"type":"object"}}],"x-extra":[1, 2]}}"#
        h.upstream(original)
        #expect(h.toClient.texts == [original])
    }

    @Test func everyPageIsFilteredAndKeepsItsCursor() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "tools/list"))
        h.upstream(Msg.toolList(1, ["secret_a", "get_time"], nextCursor: "page-2"))
        let first = try #require(h.answer(1))
        #expect(first.toolNames == ["get_time"])
        #expect(first["result"]?["nextCursor"] == "page-2")

        h.client(Msg.request(2, "tools/list", ["cursor": "page-2"]))
        #expect(h.toUpstream.messages.last?["params"]?["cursor"] == "page-2")
        h.upstream(Msg.toolList(2, ["echo", "secret_b"], nextCursor: "page-3"))
        let second = try #require(h.answer(2))
        #expect(second.toolNames == ["echo"])
        #expect(second["result"]?["nextCursor"] == "page-3")

        h.client(Msg.request(3, "tools/list", ["cursor": "page-3"]))
        h.upstream(Msg.toolList(3, ["secret_c"]))
        let third = try #require(h.answer(3))
        #expect(third.toolNames == [])
        #expect(third["result"]?["nextCursor"] == nil)

        // The catalogue the operators see has every page, hidden tools included (marked hidden).
        let tools = h.enforcer.snapshot().tools
        #expect(Set(tools.map(\.name)).isSuperset(of: ["secret_a", "get_time", "echo", "secret_b", "secret_c"]))
        #expect(tools.first { $0.name == "secret_b" }?.hidden == true)
        #expect(tools.first { $0.name == "echo" }?.hidden == false)
    }

    @Test func aToolListErrorPassesThrough() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(1, "tools/list"))
        let original = #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}"#
        h.upstream(original)
        #expect(h.toClient.texts == [original])
    }

    @Test func onlyAnswersToToolListRequestsAreFiltered() throws {
        let h = try Harness(policy: Policies.standard)
        // A different request whose answer happens to contain a "tools" array is not touched.
        h.client(Msg.request(5, "prompts/list"))
        let original = JSONWriter.string(Msg.toolList(5, ["secret_a"]))
        h.upstream(original)
        #expect(h.toClient.texts == [original])
    }
}
