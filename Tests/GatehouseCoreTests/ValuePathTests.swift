import Testing
@testable import GatehouseCore

@Suite("Value paths")
struct ValuePathTests {
    @Test func parsesDottedIndexedAndQuotedComponents() throws {
        let p = try ValuePath(parsing: #"args.order.legs[0]["odd.key"].qty"#)
        #expect(p.root == .args)
        #expect(p.components == [.key("order"), .key("legs"), .index(0), .key("odd.key"), .key("qty")])
        #expect(p.description == #"args.order.legs[0]["odd.key"].qty"#)
        #expect(try ValuePath(parsing: "args").components.isEmpty)
        #expect(try ValuePath(parsing: "tool").root == .tool)
    }

    @Test(arguments: [
        ("", ValuePath.ParseError.empty),
        ("amount", .unknownRoot("amount")),
        ("arguments.amount", .unknownRoot("arguments")),
        ("tool.name", .rootHasNoFields("tool")),
        ("grant.id", .rootHasNoFields("grant")),
    ])
    func rejects(_ text: String, _ expected: ValuePath.ParseError) {
        #expect(throws: expected) { try ValuePath(parsing: text) }
    }

    @Test(arguments: ["args..a", ".args", "args.", "args[0", "args[-1]", "args[x]", "args[0]x", "args.a[]"])
    func rejectsMalformed(_ text: String) {
        #expect {
            try ValuePath(parsing: text)
        } throws: { error in
            if case .malformed = error as? ValuePath.ParseError { return true }
            return false
        }
    }

    @Test func resolvesAgainstACall() throws {
        let c = call("t", ["a": ["b": [10, ["c": "deep"]]], "0": "zero-key"])
        #expect(try ValuePath(parsing: "args.a.b[1].c").resolve(in: c) == "deep")
        #expect(try ValuePath(parsing: "args.a.b.0").resolve(in: c) == 10)
        #expect(try ValuePath(parsing: "args.0").resolve(in: c) == "zero-key", "a numeric key on an object is a key")
        #expect(try ValuePath(parsing: "args.a.b[5]").resolve(in: c) == nil)
        #expect(try ValuePath(parsing: "args.a.b.c").resolve(in: c) == nil)
        #expect(try ValuePath(parsing: "args.a[0]").resolve(in: c) == nil, "an index on an object is absent")
        #expect(try ValuePath(parsing: "args").resolve(in: c) == c.arguments)
        #expect(try ValuePath(parsing: "grant").resolve(in: c) == "alice")
        #expect(try ValuePath(parsing: "session").resolve(in: c) == "s1")
    }
}
