import Testing
import PropertyBased
@testable import GatehouseCore

@Suite("JSON writer")
struct JSONWriterTests {
    @Test func writesCompactlyOnOneLine() {
        let v: JSONValue = ["b": [1, "two", nil, true], "a": ["nested": [:]], "e": []]
        #expect(JSONWriter.string(v) == #"{"b":[1,"two",null,true],"a":{"nested":{}},"e":[]}"#)
    }

    @Test func prettyPrints() {
        let v: JSONValue = ["a": [1, 2], "b": [:]]
        #expect(JSONWriter.pretty(v) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test func escapesWhatJSONRequires() {
        let s = "q\"b\\n\nr\rt\tc\u{01}\u{1F}é😀/"
        #expect(JSONWriter.string(.string(s)) == #""q\"b\\n\nr\rt\tc\u0001\u001fé😀/""#)
    }

    @Test func compactOutputNeverContainsANewline() {
        let v: JSONValue = ["text": "line1\nline2\r\n", "list": ["\n"]]
        #expect(!JSONWriter.bytes(v).contains(0x0A))
    }

    @Test func numbersAreWrittenAsTheirLiteral() throws {
        let text = #"{"id":12345678901234567890,"p":1.10,"e":1E+3}"#
        #expect(JSONWriter.string(try JSONParser.parse(text)) == text)
    }

    @Test func doubleInitialiserWritesIntegersWithoutAFraction() {
        #expect(JSONNumber(3.0).literal == "3")
        #expect(JSONNumber(2.5).literal == "2.5")
        #expect(JSONNumber(Double.nan).literal == "0")
    }

    @Test func roundTripsRandomDocuments() async {
        await propertyCheck(count: 300, input: JSONGen.value(depth: 4)) { value throws in
            let compact = JSONWriter.string(value)
            let pretty = JSONWriter.pretty(value)
            #expect(try JSONParser.parse(compact) == value)
            #expect(try JSONParser.parse(pretty) == value)
            // Writing what was read reproduces the bytes: literals and key order survive.
            #expect(JSONWriter.string(try JSONParser.parse(compact)) == compact)
        }
    }
}

/// Random JSON documents for round-trip properties: every kind of value, awkward strings and numbers.
enum JSONGen {
    static let strings: [String] = ["", "a", "key", "é", "😀", "\"", "\\", "\n", "\u{0}", "\u{1F}", "/", "\u{7F}", "ünï", "a b"]
    static let numbers: [String] = ["0", "-0", "1", "-17", "3.25", "1e3", "-2.5E-3", "12345678901234567890", "0.1", "1e400"]

    static func value(depth: Int) -> Generator<JSONValue, Shrink.None<JSONValue>> {
        Generator { rng in make(depth: depth, rng: &rng) }
    }

    static func make(depth: Int, rng: inout any SeededRandomNumberGenerator) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &rng)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(JSONNumber(literal: numbers.randomElement(using: &rng)!))
        case 3: return .number(JSONNumber(Int.random(in: -1_000_000...1_000_000, using: &rng)))
        case 4: return .string(randomString(&rng))
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in make(depth: depth - 1, rng: &rng) })
        default:
            var o = JSONObject()
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                o[randomString(&rng)] = make(depth: depth - 1, rng: &rng)
            }
            return .object(o)
        }
    }

    static func randomString(_ rng: inout any SeededRandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...3, using: &rng)).map { _ in strings.randomElement(using: &rng)! }.joined()
    }
}
