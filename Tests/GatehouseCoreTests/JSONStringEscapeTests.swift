import Testing
@testable import GatehouseCore

/// `writeString` copies unescaped runs in bulk; its bytes must be those of escaping one byte at a time.
@Suite("JSON string escaping")
struct JSONStringEscapeTests {
    /// The rule, spelt out byte by byte: the reference the bulk copy is checked against.
    static func reference(_ s: String) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [0x22]
        for c in s.utf8 {
            switch c {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0..<0x20: out += Array(#"\u00"#.utf8) + [hex[Int(c >> 4)], hex[Int(c & 0xF)]]
            default: out.append(c)
            }
        }
        return out + [0x22]
    }

    static func written(_ s: String, after prefix: [UInt8] = []) -> [UInt8] {
        var out = prefix
        JSONWriter.writeString(s, into: &out)
        return out
    }

    static let samples: [String] = [
        "", "a", "hello", String(repeating: "abcdefghij", count: 6), String(repeating: "x", count: 5_000),
        "\"", "\\", "\"\"", "a\"", "\"a", "a\"b", "\\\\\\", "end\\", "é", "😀", "日本語のテキスト", "e\u{301}",
        "mixed é \"q\" \\ 😀\n\t", "/", "</script>", "\u{7F}", "\u{80}", "\u{2028}\u{2029}",
        String((0..<0x20).map { Character(Unicode.Scalar($0)) }),
        "line1\nline2\r\n", "\u{0}", "a\u{0}b", "\u{1F}x\u{1}",
    ]

    @Test func matchesTheByteByByteRule() {
        for s in Self.samples {
            #expect(Self.written(s) == Self.reference(s), "\(s.debugDescription)")
        }
    }

    @Test func everyControlCharacterAloneAndBetweenText() {
        for c in 0..<0x20 {
            let ch = String(Character(Unicode.Scalar(UInt8(c))))
            for s in [ch, "ab" + ch, ch + "cd", "ab" + ch + "cd", ch + ch] {
                #expect(Self.written(s) == Self.reference(s), "\(c)")
            }
        }
    }

    @Test func knownSpellings() {
        #expect(String(decoding: Self.written("plain text"), as: UTF8.self) == #""plain text""#)
        #expect(String(decoding: Self.written("a\"b\\c\nd\re\tf\u{1}g\u{1F}"), as: UTF8.self) == #""a\"b\\c\nd\re\tf\u0001g\u001f""#)
        #expect(String(decoding: Self.written("é😀/"), as: UTF8.self) == "\"é😀/\"")
    }

    @Test func appendsAfterWhatIsAlreadyThere() {
        let prefix = Array("[1,".utf8)
        #expect(Self.written("x\ny", after: prefix) == prefix + Self.reference("x\ny"))
    }

    @Test func substringsAndBridgedTextBehaveTheSame() {
        // A string made from a slice, and one built by interpolation, are written the same.
        let long = "prefix \"quoted\" and é"
        let sliced = String(long.dropFirst(7))
        #expect(Self.written(sliced) == Self.reference(sliced))
        let built = "\(42)\t\(sliced)"
        #expect(Self.written(built) == Self.reference(built))
    }

    @Test func randomStringsMatch() {
        var rng = SplitMix64(seed: 3)
        let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "é", "😀", "/", "\u{7F}"]
        for _ in 0..<3_000 {
            let s = String((0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            #expect(Self.written(s) == Self.reference(s), "\(s.debugDescription)")
        }
    }
}
