import Testing
@testable import GatehouseCore

/// The canonical form an approval's digest is taken over: keys sorted, no white space.
@Suite("Canonical bytes")
struct CanonicalBytesTests {
    static func canonical(_ v: JSONValue) -> String { String(decoding: v.canonicalBytes, as: UTF8.self) }

    @Test func sortsKeysAtEveryLevelAndKeepsArrayOrder() throws {
        let v = try JSONParser.parse(#"{"z": [3, {"b": 1, "a": 2}], "a": {"y": null, "x": "q\"\\\n"}, "m": 1.50}"#)
        #expect(Self.canonical(v) == #"{"a":{"x":"q\"\\\n","y":null},"m":1.50,"z":[3,{"a":2,"b":1}]}"#)
    }

    @Test func theSameForAnyKeyOrder() throws {
        let a = try JSONParser.parse(#"{"text":"hello","n":42,"nested":{"a":[1,2,3],"b":true}}"#)
        let b = try JSONParser.parse(#"{"nested":{"b":true,"a":[1,2,3]},"n":42,"text":"hello"}"#)
        #expect(a.canonicalBytes == b.canonicalBytes)
        #expect(Self.canonical(a) == #"{"n":42,"nested":{"a":[1,2,3],"b":true},"text":"hello"}"#)
    }

    @Test func ordersKeysAsSwiftStringsCompare() {
        // Upper case before lower case, shorter prefix first, non-ASCII after ASCII.
        let keys = ["b", "B", "ab", "a", "é", "z", "", "aa", "😀", "A1"]
        let v = JSONValue.object(JSONObject(keys.map { ($0, JSONValue.number($0.count)) }))
        let expected = "{" + keys.sorted().map { "\"\($0)\":\($0.count)" }.joined(separator: ",") + "}"
        #expect(Self.canonical(v) == expected)
    }

    @Test func manyKeys() {
        let keys = (0..<300).map { "k\(($0 * 7919) % 300)" }
        let v = JSONValue.object(JSONObject(keys.map { ($0, JSONValue.null) }))
        let expected = "{" + keys.sorted().map { "\"\($0)\":null" }.joined(separator: ",") + "}"
        #expect(Self.canonical(v) == expected)
    }

    @Test func emptyContainersAndScalars() {
        #expect(Self.canonical([:]) == "{}")
        #expect(Self.canonical([]) == "[]")
        #expect(Self.canonical(["a": [:], "b": []]) == #"{"a":{},"b":[]}"#)
        #expect(Self.canonical("x") == #""x""#)
        #expect(Self.canonical(nil) == "null")
    }

    @Test func argumentsHashIsPinned() throws {
        // Digests stored in audit logs and approvals must not change: these were computed by hand.
        #expect((["amount": 10] as JSONValue).argumentsHash == "a8b88b82fe90a16048eb8851fe382405395cd395dafaa7ca9be90ec00f82a72b")
        let args = try JSONParser.parse(#"{"text":"hello","n":42,"nested":{"a":[1,2,3],"b":true}}"#)
        #expect(args.argumentsHash == "18fb11940f01dc7ee3c51e862512f0bf3e47bb0de150f2626b794b6391840f9a")
        #expect(args.argumentsHash == SHA256.hex(args.canonicalBytes))
    }
}
