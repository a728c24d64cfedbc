import Foundation
import GatehouseCore
import Testing
@testable import GatehouseGateway

/// A `call` event written directly says what `JSONEncoder` says: a subscriber decodes the same
/// event from either.
@Suite struct ControlWireTests {
    static func text(_ rng: inout SplitMix64) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "✓", "🦀", "e\u{301}", "\u{7F}"]
        return (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }

    static func call(_ rng: inout SplitMix64) -> CallRecord {
        func maybe<T>(_ v: T) -> T? { rng.next() % 2 == 0 ? v : nil }
        let arguments: JSONValue = [
            "text": .string(text(&rng)), "n": .number(Int(rng.next() % 1000)), "x": .number(Double(rng.next() % 1000) / 8),
            "list": [.bool(true), .null, .string(text(&rng))], "nested": ["k": .string(text(&rng))],
        ]
        let outcomes = CallRecord.Outcome.allCases
        return CallRecord(
            id: RandomID.hex(12), gateway: text(&rng), session: text(&rng), grant: text(&rng), tool: text(&rng),
            arguments: arguments, argsHash: text(&rng), receivedAt: 1_763_794_800 + Double(rng.next() % 1_000_000) / 1e6,
            decision: "allow", outcome: outcomes[Int(rng.next() % UInt64(outcomes.count))], rule: text(&rng),
            reason: maybe(text(&rng)), trace: (0..<Int(rng.next() % 4)).map { _ in text(&rng) },
            counters: (0..<Int(rng.next() % 3)).map { _ in text(&rng) }, approver: maybe(text(&rng)),
            approvalScope: maybe("once"), latencyMs: maybe(Double(rng.next() % 100_000) / 1e3),
            resultPreview: maybe(text(&rng)), resultIsError: maybe(rng.next() % 2 == 0))
    }

    /// The event a subscriber decodes from a notification line.
    static func decode(_ line: [UInt8]) throws -> ControlEvent {
        let envelope = try JSONParser.parse(line)
        #expect(envelope["jsonrpc"] == "2.0")
        #expect(envelope["method"] == "event")
        let params = try #require(envelope["params"])
        return try JSONDecoder().decode(ControlEvent.self, from: Data(JSONWriter.bytes(params)))
    }

    @Test func aCallEventDecodesAsTheEncodersDoes() throws {
        var rng = SplitMix64(seed: 21)
        for n in 0..<500 {
            let event = ControlEvent(seq: rng.next() % 1_000_000, at: 1_763_794_800 + Double(n) / 1e3, type: .call,
                                     call: Self.call(&rng))
            let direct = try #require(ControlWire.callEvent(event))
            let encoded = ControlWire.notification(.event, params: event)
            let fromDirect = try Self.decode(direct)
            #expect(fromDirect == (try Self.decode(encoded)))
            #expect(fromDirect.call?.tool == event.call?.tool)
            #expect(fromDirect.seq == event.seq)
        }
    }

    @Test func otherEventsAreLeftToTheEncoder() {
        var rng = SplitMix64(seed: 3)
        let c = Self.call(&rng)
        #expect(ControlWire.callEvent(ControlEvent(at: 1, type: .counter, counters: [])) == nil)
        #expect(ControlWire.callEvent(ControlEvent(at: 1, type: .call, call: c, message: "m")) == nil)
        #expect(ControlWire.callEvent(ControlEvent(at: .infinity, type: .call, call: c)) == nil)
        var bad = c
        bad.latencyMs = .nan
        #expect(ControlWire.callEvent(ControlEvent(at: 1, type: .call, call: bad)) == nil)
    }
}
