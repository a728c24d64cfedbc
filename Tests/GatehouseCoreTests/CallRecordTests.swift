import Foundation
import Testing
@testable import GatehouseCore

/// A call record keeps its fields in a shared box; it must still behave as a plain value.
@Suite struct CallRecordTests {
    static let record = CallRecord(
        id: "c1", gateway: "g", session: "s", grant: "default", tool: "echo", arguments: ["text": "hi"], argsHash: "h",
        receivedAt: 1.5, decision: "allow", outcome: .forwarded, rule: "echo", trace: ["a"], counters: ["c +1"])

    @Test func aCopyChangesAloneAndComparesByValue() {
        let original = Self.record
        var copy = original
        #expect(copy == original)
        copy.outcome = .ok
        copy.trace.append("b")
        copy.latencyMs = 2
        #expect(original.outcome == .forwarded)
        #expect(original.trace == ["a"])
        #expect(original.latencyMs == nil)
        #expect(copy.trace == ["a", "b"])
        #expect(copy != original)
        // Equal fields in different boxes are equal, and hash alike.
        var rebuilt = copy
        rebuilt.outcome = .forwarded
        rebuilt.trace = ["a"]
        rebuilt.latencyMs = nil
        #expect(rebuilt == original)
        #expect(Set([rebuilt, original]).count == 1)
    }

    @Test func itsJSONIsItsFieldsJSON() throws {
        var r = Self.record
        r.resultPreview = "done"
        let data = try JSONEncoder().encode(r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["id", "gateway", "session", "grant", "tool", "arguments", "argsHash", "receivedAt",
                                     "decision", "outcome", "rule", "trace", "counters", "resultPreview"])
        #expect(object["tool"] as? String == "echo")
        #expect(try JSONDecoder().decode(CallRecord.self, from: data) == r)
    }

    @Test func itDescribesItsFieldsNotItsBox() {
        let text = String(describing: Self.record)
        #expect(text.contains(#"tool: "echo""#))
        #expect(!text.contains("Box"))
    }
}
