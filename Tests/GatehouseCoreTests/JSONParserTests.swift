import Testing
@testable import GatehouseCore

@Suite("JSON parser")
struct JSONParserTests {
    private func parseError(_ text: String, _ options: JSONParser.Options = .init()) -> JSONParser.Error? {
        do {
            _ = try JSONParser.parse(text, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func parseError(bytes: [UInt8]) -> JSONParser.Error? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let v = try JSONParser.parse(#"{"a": [1, -2.5, true, false, null, "x"], "b": {"c": {}} , "d": []}"#)
        #expect(v["a"] == [1, -2.5, true, false, nil, "x"])
        #expect(v["b"]?["c"] == .object(JSONObject()))
        #expect(v["d"] == .array([]))
    }

    @Test func keepsKeyOrder() throws {
        let v = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
    }

    @Test(arguments: ["0", "-0", "12345678901234567890123", "1.50", "1e400", "-3.25E-7", "9007199254740993", "0.1"])
    func numbersKeepTheirLiteralText(_ literal: String) throws {
        let v = try JSONParser.parse(literal)
        #expect(v.numberValue?.literal == literal)
        #expect(JSONWriter.string(v) == literal)
    }

    @Test func equalNumbersCompareByValueNotText() throws {
        #expect(try JSONParser.parse("1") == JSONParser.parse("1.0"))
        #expect(try JSONParser.parse("100") == JSONParser.parse("1e2"))
        #expect(try JSONParser.parse("-0") == JSONParser.parse("0"))
        // Different integers that one Double cannot tell apart stay different.
        #expect(try JSONParser.parse("9007199254740993") != JSONParser.parse("9007199254740992"))
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-Infinity", "1.2.3"])
    func rejectsMalformedNumbers(_ text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func decodesEscapes() throws {
        let v = try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#)
        #expect(v == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀"))
    }

    @Test func rejectsDuplicateKeysWhereTheSecondOneStarts() throws {
        let e = try #require(parseError("{\"a\": 1,\n  \"a\": 2}"))
        #expect(e.message == #"duplicate key "a""#)
        #expect(e.location == Loc(line: 2, column: 3))
    }

    @Test func duplicateKeysAreCaughtAfterEscapesAreDecoded() {
        // "\u0061" is "a": the same key, however it is spelt.
        #expect(parseError(#"{"a": 1, "\u0061": 2}"#)?.message == #"duplicate key "a""#)
    }

    @Test func duplicateKeysInNestedObjectsAreCaught() {
        #expect(parseError(#"{"x": {"k": 1, "k": 2}}"#) != nil)
        #expect(parseError(#"[{"k": 1}, {"k": 2}]"#) == nil)
    }

    @Test func rejectsInvalidUTF8InStrings() throws {
        var bytes = Array(#"{"k": "ab"#.utf8)
        bytes.append(0xFF)
        bytes += Array(#""}"#.utf8)
        let e = try #require(parseError(bytes: bytes))
        #expect(e.message == "invalid UTF-8 in a string")
        // Overlong encoding of "/" and a UTF-8-encoded surrogate are invalid too.
        #expect(parseError(bytes: [0x22, 0xC0, 0xAF, 0x22]) != nil)
        #expect(parseError(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]) != nil)
        // A truncated sequence.
        #expect(parseError(bytes: [0x22, 0xE2, 0x82, 0x22]) != nil)
    }

    @Test func rejectsInvalidUTF8InEscapedStrings() {
        // The slow path (a string with an escape) validates too.
        #expect(parseError(bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22])?.message == "invalid UTF-8 in a string")
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, #""\ud800\ud800""#])
    func rejectsLoneSurrogates(_ text: String) throws {
        let e = try #require(parseError(text))
        #expect(e.message.contains("surrogate"))
    }

    @Test func rejectsControlCharactersAndBadEscapes() {
        #expect(parseError("\"a\u{01}b\"")?.message == "unescaped control character in a string")
        #expect(parseError("\"a\nb\"")?.message == "unescaped control character in a string")
        #expect(parseError(#""\x41""#)?.message.contains("invalid escape") == true)
        #expect(parseError(#""\u12G4""#)?.message.contains("hex digit") == true)
        #expect(parseError(#""abc"#)?.message == "unterminated string")
    }

    @Test func boundsNestingDepth() throws {
        let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
        #expect(parseError(deep)?.message == "nesting is deeper than 256 levels")
        let objects = String(repeating: #"{"a":"#, count: 11) + "1" + String(repeating: "}", count: 11)
        #expect(parseError(objects, .init(maxDepth: 10))?.message == "nesting is deeper than 10 levels")
        #expect(parseError(objects, .init(maxDepth: 11)) == nil)
    }

    @Test func deepInputDoesNotCrash() {
        // Far beyond the limit: must be an error, not a stack overflow.
        let deep = String(repeating: "[", count: 200_000)
        #expect(parseError(deep) != nil)
    }

    @Test func commentsOnlyWhenAllowed() throws {
        let text = """
            // policy
            {"a": 1, /* inline */ "b": [2, 3,], }
            """
        #expect(parseError(text)?.message == "unexpected '/': expected a value")
        let v = try JSONParser.parse(text, options: .init(allowComments: true))
        #expect(v == ["a": 1, "b": [2, 3]])
        #expect(parseError(#"{"a": 1,}"#) != nil, "trailing commas belong to the comment-allowing mode")
        #expect(parseError("[1] /* open", .init(allowComments: true))?.message == "unterminated /* comment")
        #expect(parseError("[1] / 2", .init(allowComments: true)) != nil)
    }

    @Test func reportsLineAndColumn() throws {
        let e = try #require(parseError("{\n  \"a\": 1,\n  \"b\": tru\n}"))
        #expect(e.location == Loc(line: 3, column: 8))
        #expect(e.description.hasPrefix("3:8: "))
        // Columns count characters, not bytes.
        let wide = try #require(parseError("{\"é😀\": x}"))
        #expect(wide.location == Loc(line: 1, column: 8))
    }

    @Test func reportsStructuralErrors() {
        #expect(parseError("")?.message == "the document is empty")
        #expect(parseError("   ")?.message == "the document is empty")
        #expect(parseError("{} {}")?.message == "unexpected '{' after the end of the JSON value")
        #expect(parseError(#"{"a" 1}"#)?.message == #"expected ':' after key "a""#)
        #expect(parseError(#"{a: 1}"#)?.message == "unexpected 'a': expected a key in double quotes")
        #expect(parseError("[1 2]")?.message == "unexpected '2': expected ',' or ']'")
        #expect(parseError(#"{"a": 1 "b": 2}"#)?.message == #"unexpected '"': expected ',' or '}'"#)
        #expect(parseError("[1,")?.message.contains("end of input") == true)
    }

    @Test func toleratesAByteOrderMark() throws {
        let v = try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))
        #expect(v == [1])
    }

    @Test func sourceMapPointsAtKeysAndValues() throws {
        let text = """
            {
              "tools": {
                "x": {"limits": [{"max": 5}]}
              }
            }
            """
        let (_, map) = try JSONParser.parseWithMap(Array(text.utf8), options: .init(recordLocations: true))
        let maxPath = JSONPath([.key("tools"), .key("x"), .key("limits"), .index(0), .key("max")])
        #expect(map.keys[maxPath] == Loc(line: 3, column: 23))
        #expect(map.values[maxPath] == Loc(line: 3, column: 30))
        #expect(map.location(of: maxPath, preferKey: true) == Loc(line: 3, column: 23))
        // A path that is not in the document falls back to its nearest ancestor.
        #expect(map.location(of: maxPath.appending("nope")) == Loc(line: 3, column: 30))
    }
}
