import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// Everything that is not a `tools/call` crosses the gateway untouched, byte for byte.
@Suite struct PassThroughTests {
    @Test func unknownMethodsGoUpstreamVerbatimAndTheirAnswersComeBackVerbatim() throws {
        let h = try Harness(policy: Policies.standard)
        // Odd spacing and key order must survive: the gateway forwards the bytes it read.
        let request = #"{"id": 7,  "jsonrpc":"2.0","method":"resources/read","params":{"uri":"file:///x","z":1.50}}"#
        h.client(request)
        #expect(h.toUpstream.texts == [request])
        let answer = #"{"jsonrpc":"2.0","id":7,"result":{"contents":[{"uri":"file:///x","text":"héllo \u00e9"}]} }"#
        h.upstream(answer)
        #expect(h.toClient.texts == [answer])
    }

    @Test func clientNotificationsPassThrough() throws {
        let h = try Harness(policy: Policies.standard)
        let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#
        let roots = #"{"method":"notifications/roots/list_changed","jsonrpc":"2.0","params":{}}"#
        h.client(initialized)
        h.client(roots)
        #expect(h.toUpstream.texts == [initialized, roots])
        #expect(h.toClient.count == 0)
    }

    @Test func serverNotificationsAndRequestsPassThroughToTheClient() throws {
        let h = try Harness(policy: Policies.standard)
        let log = #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}"#
        let sampling = #"{"jsonrpc":"2.0","id":"srv-1","method":"sampling/createMessage","params":{"messages":[],"maxTokens":5}}"#
        let ping = #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#
        for line in [log, sampling, ping] { h.upstream(line) }
        #expect(h.toClient.texts == [log, sampling, ping])
        #expect(h.toUpstream.count == 0)
    }

    @Test func clientResponsesToServerRequestsGoUpstreamVerbatim() throws {
        let h = try Harness(policy: Policies.standard)
        let result = #"{"jsonrpc":"2.0","id":"srv-1","result":{"role":"assistant","content":{"type":"text","text":"ok"}}}"#
        let error = #"{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"user declined"}}"#
        h.client(result)
        h.client(error)
        #expect(h.toUpstream.texts == [result, error])
        #expect(h.toClient.count == 0)
    }

    @Test func cancellationOfAForwardedRequestGoesUpstream() throws {
        let h = try Harness(policy: Policies.standard)
        h.call(1, "get_time")
        let cancel = #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"bored"}}"#
        h.client(cancel)
        #expect(h.toUpstream.texts.last == cancel)
    }

    @Test func blankLinesAreIgnored() throws {
        let h = try Harness(policy: Policies.standard)
        h.client("")
        h.client("   \t ")
        h.upstream("")
        #expect(h.toUpstream.count == 0)
        #expect(h.toClient.count == 0)
    }

    @Test func garbageFromTheUpstreamIsDroppedNotForwarded() throws {
        let h = try Harness(policy: Policies.standard)
        h.upstream("Starting server on stdio...")
        h.upstream("[1,2,3]")
        h.upstream("42")
        #expect(h.toClient.count == 0)
    }

    @Test func theInitializeAnswerAdvertisesToolListChanges() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(0, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                              "clientInfo": ["name": "t", "version": "1"]]))
        #expect(h.toUpstream.count == 1)
        h.upstream(#"{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":false},"logging":{}},"serverInfo":{"name":"up","version":"9"}}}"#)
        let answer = try #require(h.answer(0))
        #expect(answer["result"]?["capabilities"]?["tools"]?["listChanged"] == true)
        // The rest of the answer is kept.
        #expect(answer["result"]?["capabilities"]?["logging"] == .object(JSONObject()))
        #expect(answer["result"]?["serverInfo"]?["name"] == "up")
        #expect(answer["result"]?["protocolVersion"] == "2025-06-18")
    }

    @Test func theInitializeAnswerGetsListChangedWhenToolsHasNoFlags() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request("init", "initialize", [:]))
        h.upstream(#"{"jsonrpc":"2.0","id":"init","result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"up","version":"1"}}}"#)
        let answer = try #require(h.answer("init"))
        #expect(answer["result"]?["capabilities"]?["tools"]?["listChanged"] == true)
    }

    @Test func anInitializeAnswerThatAlreadySaysListChangedIsUntouched() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(0, "initialize", [:]))
        let original = #"{"jsonrpc":"2.0","id":0,"result":{"capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"up","version":"1"}}}"#
        h.upstream(original)
        #expect(h.toClient.texts == [original])
    }

    @Test func anInitializeErrorPassesThrough() throws {
        let h = try Harness(policy: Policies.standard)
        h.client(Msg.request(0, "initialize", [:]))
        let original = #"{"jsonrpc":"2.0","id":0,"error":{"code":-32602,"message":"unsupported protocol version"}}"#
        h.upstream(original)
        #expect(h.toClient.texts == [original])
    }
}
