import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// The journal's line encoder must write exactly what `JSONWriter` writes (strings, values) and
/// numbers that read back as the same Double: a replay after a crash depends on both.
@Suite struct LineEncoderTests {
    static func encoded(_ body: (LineEncoder) -> Void) -> [UInt8] {
        let e = LineEncoder(capacity: 8)  // small, so growing is exercised too
        body(e)
        return Array(e.bytes)
    }

    @Test func stringsAreEscapedExactlyAsJSONWriterEscapesThem() {
        // Bytes that need escapes, ASCII, and multi-byte UTF-8, at every position of the 8-byte
        // fast path (lengths 0 to 40), so a bad byte in any lane of a word is seen.
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "€", "😀", "/", "~"]
        var rng = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 41)
            let s = (0..<length).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var expected: [UInt8] = []
            JSONWriter.writeString(s, into: &expected)
            #expect(Self.encoded { $0.string(s) } == expected, "\(s.debugDescription)")
        }
    }

    @Test func aQuoteOrControlByteInEachLaneOfAWordIsEscaped() {
        for lane in 0..<16 {
            for bad in ["\"", "\\", "\u{00}", "\u{1F}"] {
                let s = String(repeating: "x", count: lane) + bad + String(repeating: "y", count: 15 - lane)
                var expected: [UInt8] = []
                JSONWriter.writeString(s, into: &expected)
                #expect(Self.encoded { $0.string(s) } == expected)
            }
        }
    }

    @Test func aBufferGrownByAHugeEntryIsGivenBackAndStaysCorrect() {
        let e = LineEncoder()
        let huge = String(repeating: "x", count: 3 << 20)
        e.string(huge)
        #expect(e.count == huge.utf8.count + 2)
        e.reset()
        e.string("small \"one\"")
        #expect(String(decoding: e.bytes, as: UTF8.self) == #""small \"one\"""#)
        e.reset()
        #expect(e.count == 0)
    }

    @Test func valuesAreWrittenAsJSONWriterWritesThem() throws {
        let texts = [
            #"{"a":1,"b":[true,false,null],"c":{"d":"e\n\"f\""},"g":-2.5e10,"h":[],"i":{}}"#,
            #"[1,"two",{"three":3}]"#, #""just a string""#, "12345678901234567890", "null",
        ]
        for t in texts {
            let v = try JSONParser.parse(Array(t.utf8))
            #expect(Self.encoded { $0.json(v) } == JSONWriter.bytes(v), "\(t)")
        }
    }

    @Test func everyNumberReadsBackAsTheSameDouble() {
        var rng = SplitMix64(seed: 5)
        var values: [Double] = [0, 1, -1, 0.5, 1e-7, 123.456, 1_700_000_000.25, 1e15, 9e15, 1e300, -3.75, 86_400]
        for _ in 0..<20_000 {
            let micros = Int64(rng.next() % 4_000_000_000_000_000)  // up to year 2096, on the microsecond grid
            values.append(Double(micros) / 1e6)
            values.append(Double(Int64(rng.next() % 100_000_000)) / 1000)  // latencies in ms, to the µs
            values.append(Double(bitPattern: rng.next() >> 2))  // anything at all (finite: top bits clear)
            values.append(Double(micros) / 1e6 + 1e-7)  // off the grid: the slow path
        }
        for v in values where v.isFinite {
            let text = String(decoding: Self.encoded { $0.number(v) }, as: UTF8.self)
            #expect(Double(text) == v, "\(v) was written as \(text)")
            #expect((try? JSONParser.parse(Array(text.utf8))) != nil, "\(text) is not a JSON number")
        }
    }

    @Test func timesOnTheMicrosecondGridAreShortFixedPointDecimals() {
        #expect(String(decoding: Self.encoded { $0.number(1_763_800_000.123456) }, as: UTF8.self) == "1763800000.123456")
        #expect(String(decoding: Self.encoded { $0.number(1_763_800_000.1) }, as: UTF8.self) == "1763800000.1")
        #expect(String(decoding: Self.encoded { $0.number(0.005) }, as: UTF8.self) == "0.005")
        #expect(String(decoding: Self.encoded { $0.number(-12.5) }, as: UTF8.self) == "-12.5")
        #expect(String(decoding: Self.encoded { $0.number(1500) }, as: UTF8.self) == "1500")
        #expect(String(decoding: Self.encoded { $0.number(0) }, as: UTF8.self) == "0")
    }

    @Test func entryTimesAreStrictlyIncreasingMicroseconds() throws {
        let dir = try TemporaryDirectory()
        let store = try StateStore(directory: dir.path)
        defer { store.close() }
        let first = store.entryTime(1_000.0)
        let second = store.entryTime(1_000.0)  // the same instant
        let third = store.entryTime(999.0)  // the clock stepped back
        #expect(first == 1_000.0)
        #expect(second == 1_000.000001)
        #expect(third == 1_000.000002)
        #expect(store.entryTime(2_000.5) == 2_000.5)
    }
}
