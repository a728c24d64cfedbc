import Foundation
import Testing
@testable import GatehouseCore

/// `parse` skips the source map that `parseWithMap` records; both must still read every input
/// the same way: the same value, or the same error at the same place.
@Suite("JSON parser fast path")
struct JSONParserFastPathTests {
    /// What one parse produced, comparable: the value's exact bytes, or the whole error.
    enum Outcome: Equatable {
        case value([UInt8])
        case error(JSONParser.Error)
    }

    static func fast(_ bytes: [UInt8], _ options: JSONParser.Options) -> Outcome {
        do { return .value(JSONWriter.bytes(try JSONParser.parse(bytes, options: options))) } catch { return .error(error) }
    }

    static func mapped(_ bytes: [UInt8], _ options: JSONParser.Options) -> Outcome {
        do {
            return .value(JSONWriter.bytes(try JSONParser.parseWithMap(bytes, options: options).value))
        } catch {
            return .error(error)
        }
    }

    static let optionSets: [JSONParser.Options] = [
        .init(), .init(recordLocations: true), .init(allowComments: true, recordLocations: true),
        .init(allowComments: true), .init(maxDepth: 3),
    ]

    static let inline: [String] = [
        #"{"jsonrpc":"2.0","id":12345,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello","n":42,"nested":{"a":[1,2,3],"b":true}}}}"#,
        #"{"jsonrpc":"2.0","id":12345,"result":{"content":[{"type":"text","text":"hello world"}],"isError":false}}"#,
        "", " ", "\n\n", "{}", "[]", "[[[[]]]]", #"{"a":{"b":{"c":{"d":1}}}}"#, "null", "true", "false",
        "tru", "nul", "fals", "trUe", "nulll", "-", "-0", "01", "1.", "1.5e", "1e+5", "1E-5", "-12.5e3", "1.2.3",
        #""é😀""#, #""\u00e9\ud83d\ude00""#, #""\ud800""#, #""\udc00x""#, #""\u12G4""#, #""\x""#, #""abc"#,
        "\"a\u{01}b\"", "\"tab\there\"", #"{"a":1,"a":2}"#, #"{"a" 1}"#, #"{a:1}"#, "[1 2]", "[1,", "{\"k\":",
        "// c\n{\"a\": 1, /* x */ \"b\": [2, 3,], }", "[1] /* open", "[1] / 2", "{} {}", "\u{FEFF}[1]",
        "{\n  \"a\": 1,\n  \"b\": tru\n}", "{\"é😀\": x}", #"{"a":"\n\"\\\/\b\f\r\t"}"#,
    ]

    /// Every fixture in the repository: the fuzz corpus and the example policies.
    static func fixtures() throws -> [(String, [UInt8])] {
        let root = DocsInStepTests.repositoryRoot
        var out: [(String, [UInt8])] = []
        for dir in ["Fuzz/corpus", "examples"] {
            let base = root.appendingPathComponent(dir)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                out.append((url.path, Array(try Data(contentsOf: url))))
            }
        }
        return out
    }

    /// Each input, whole and cut short at every point (which makes many invalid documents), and
    /// as separate lines (the fuzz corpus holds JSON-RPC lines).
    static func variants(_ bytes: [UInt8]) -> [[UInt8]] {
        var out = [bytes]
        let cuts = bytes.count <= 400 ? Array(0..<bytes.count) : Array(stride(from: 0, to: bytes.count, by: bytes.count / 200))
        for n in cuts { out.append(Array(bytes[..<n])) }
        for line in bytes.split(separator: 0x0A) { out.append(Array(line)) }
        return out
    }

    @Test func agreesWithParseWithMapOnInlineInputs() {
        for text in Self.inline {
            for input in Self.variants(Array(text.utf8)) {
                for options in Self.optionSets {
                    #expect(Self.fast(input, options) == Self.mapped(input, options), "\(String(decoding: input, as: UTF8.self))")
                }
            }
        }
    }

    @Test func agreesWithParseWithMapOnEveryFixture() throws {
        let files = try Self.fixtures()
        #expect(files.count >= 20)
        for (name, bytes) in files {
            for input in Self.variants(bytes) {
                for options in Self.optionSets {
                    #expect(Self.fast(input, options) == Self.mapped(input, options), "\(name)")
                }
            }
        }
    }

    @Test func agreesWithParseWithMapOnCorruptedBytes() {
        // Bytes a text editor would not produce: invalid UTF-8, controls, high bytes in keys.
        var rng = SplitMix64(seed: 7)
        let base = Array(Self.inline[0].utf8)
        let specials: [UInt8] = [0x00, 0x01, 0x1F, 0x22, 0x5C, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<2_000 {
            var input = base
            for _ in 0..<Int(rng.next() % 3 + 1) {
                input[Int(rng.next() % UInt64(input.count))] = specials[Int(rng.next() % UInt64(specials.count))]
            }
            #expect(Self.fast(input, .init()) == Self.mapped(input, .init()))
        }
    }

    @Test func everyEntryPointGivesTheSameResult() throws {
        for text in Self.inline {
            let bytes = Array(text.utf8)
            let expected = Self.fast(bytes, .init())
            let viaString: Outcome
            do { viaString = .value(JSONWriter.bytes(try JSONParser.parse(text))) } catch { viaString = .error(error) }
            let viaSlice: Outcome
            do { viaSlice = .value(JSONWriter.bytes(try JSONParser.parse(bytes[...]))) } catch { viaSlice = .error(error) }
            // A collection without contiguous storage takes the copying route.
            let viaLazy: Outcome
            do { viaLazy = .value(JSONWriter.bytes(try JSONParser.parse(text.utf8.lazy.map { $0 }))) } catch { viaLazy = .error(error) }
            #expect(viaString == expected, "\(text)")
            #expect(viaSlice == expected, "\(text)")
            #expect(viaLazy == expected, "\(text)")
        }
    }

    @Test func utf8ValidationMatchesTheStandardLibrary() {
        func same(_ bytes: [UInt8]) -> Bool {
            let ours = bytes.withUnsafeBufferPointer { JSONParser.isValidUTF8($0) }
            return ours == (String(validating: bytes, as: UTF8.self) != nil)
        }
        // Every one- and two-byte sequence.
        for x in 0...255 {
            #expect(same([UInt8(x)]))
            for y in 0...255 where !same([UInt8(x), UInt8(y)]) {
                Issue.record("disagree on \(x) \(y)")
            }
        }
        // Every lead byte with every second byte, followed by continuation or not.
        for x in 0xC0...0xFF {
            for y in 0...255 {
                for tail: [UInt8] in [[0x80], [0xBF], [0x41], [0x80, 0x80], [0xBF, 0xBF], [0x80, 0x41], [0x80, 0x80, 0x80]] {
                    let seq = [UInt8(x), UInt8(y)] + tail
                    if !same(seq) { Issue.record("disagree on \(seq)") }
                }
            }
        }
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let seq = (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next() | 0x80) }
            #expect(same(seq), "\(seq)")
        }
    }
}
