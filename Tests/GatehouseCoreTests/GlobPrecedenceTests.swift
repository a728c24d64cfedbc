import Testing
@testable import GatehouseCore

/// Tool keys: exact names and globs, and which rule wins when several match.
@Suite("Policy: glob precedence")
struct GlobPrecedenceTests {
    @Test(arguments: [
        ("get_*", "get_price", true), ("get_*", "get_", true), ("get_*", "set_price", false),
        ("*", "", true), ("*", "anything", true), ("a?c", "abc", true), ("a?c", "ac", false),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXcYYb", false), ("*_order", "place_order", true),
        ("*order*", "reorder_now", true), ("exact", "exact", true), ("exact", "exactly", false),
        ("**", "x", true), ("a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
    ])
    func matching(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(ToolPattern(pattern).matches(name) == expected)
    }

    @Test func literalAndStarCounts() {
        let p = ToolPattern("a*b?c*")
        #expect(p.isGlob)
        #expect(p.literalCount == 3)
        #expect(p.starCount == 2)
        #expect(!ToolPattern("plain").isGlob)
    }

    private func winner(_ tools: [String], for name: String) throws -> String? {
        let body = tools.map { #""\#($0)": {}"# }.joined(separator: ", ")
        return try loadPolicy(#"{"version": "1", "tools": {\#(body)}}"#).rule(for: name)?.pattern.text
    }

    @Test func exactBeatsEveryGlob() throws {
        #expect(try winner(["place_order*", "*", "place_order", "place_*"], for: "place_order") == "place_order")
    }

    @Test func moreLiteralCharactersWin() throws {
        #expect(try winner(["*", "binance_*", "binance_futures_*"], for: "binance_futures_order") == "binance_futures_*")
        #expect(try winner(["binance_futures_*", "binance_*"], for: "binance_futures_order") == "binance_futures_*")
        #expect(try winner(["*order", "binance_*"], for: "binance_order") == "binance_*")
    }

    @Test func atEqualLiteralsFewerStarsWin() throws {
        // Both have 4 literal characters; "get_?" has no star.
        #expect(try winner(["get*_*", "get_?"], for: "get_x") == "get_?")
        #expect(try winner(["ab*cd*", "ab*cd"], for: "abXcd") == "ab*cd")
    }

    @Test func onFullTiesTheFirstWrittenWins() throws {
        // "get*" and "*_px" both have three literal characters and one star.
        #expect(try winner(["get*", "*_px"], for: "get_px") == "get*")
        #expect(try winner(["*_px", "get*"], for: "get_px") == "*_px")
    }

    @Test func noMatchMeansNoRule() throws {
        #expect(try winner(["get_*"], for: "set_x") == nil)
    }

    @Test func theWinningRuleAloneDecides() throws {
        // The more specific glob allows; the broader one would deny. Rules do not combine.
        let e = try makeEngine(#"""
            {"version": "1", "default": "allow", "tools": {
              "db_*": {"action": "deny", "reason": "no db"},
              "db_read_*": {}}}
            """#)
        #expect(e.decide(call("db_read_rows"), now: 0).verdict.isAllow)
        #expect(e.decide(call("db_write_rows"), now: 0).verdict.denyReason == "no db")
        #expect(e.decide(call("db_read_rows"), now: 0).trace.contains(TraceStep("rule", #"tools["db_read_*"] (glob)"#)))
    }

    @Test func precedenceIsTheSameWhateverTheOrderOfRules() async {
        // For random sets of patterns, the winner is the unique best by (exact, literals, fewer stars),
        // and among equals the first written.
        let pieces = ["a", "b", "_", "*", "?"]
        let gen = Generator { rng in
            (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<Int.random(in: 1...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            }
        }
        let names = ["a", "ab", "a_b", "ba", "aab_b", "_", "abab"]
        await propertyCheck(count: 300, input: gen) { raw in
            var seen = Set<String>()
            let patterns = raw.filter { seen.insert($0).inserted }.map(ToolPattern.init)
            let policy = Policy(defaultAction: .deny, tools: patterns.map { ToolRule(pattern: $0) })
            for name in names {
                let matching = patterns.filter { $0.matches(name) }
                let got = policy.rule(for: name)?.pattern
                guard let best = matching.first(where: { m in !matching.contains { $0.isMoreSpecific(than: m) } }) else {
                    #expect(got == nil)
                    continue
                }
                #expect(got == best, "\(patterns.map(\.text)) for \(name)")
            }
        }
    }

    @Test func theIndexFindsWhatScanningEveryRuleFinds() async {
        // Including names and patterns outside plain ASCII, where matching goes by characters:
        // "é" written two ways, "\r\n" (one character, two bytes), emoji.
        let pieces = ["a", "b", "_", "*", "?", "é", "e\u{301}", "\r\n", "😀", "\t", "ab"]
        let text = Generator { rng in
            (0..<Int.random(in: 0...5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
        let gen = Generator { rng in
            ((0..<Int.random(in: 1...12, using: &rng)).map { _ in text.run(using: &rng) },
             (0..<10).map { _ in text.run(using: &rng).replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "y") })
        }
        await propertyCheck(count: 400, input: gen) { input in
            let (raw, names) = input
            var seen = Set<String>()
            let rules = raw.filter { seen.insert($0).inserted }.map { ToolRule(pattern: ToolPattern($0)) }
            let policy = Policy(defaultAction: .deny, tools: rules)
            for name in names + raw {
                #expect(policy.rule(for: name)?.pattern == policy.ruleByScanning(for: name)?.pattern, "\(raw) for \(name.debugDescription)")
            }
        }
    }

    @Test func theIndexFollowsChangesToTheRules() throws {
        var p = try loadPolicy(#"{"version": "1", "tools": {"get_*": {}}}"#)
        #expect(p.rule(for: "get_x")?.pattern.text == "get_*")
        p.tools.append(ToolRule(pattern: ToolPattern("get_x")))
        #expect(p.rule(for: "get_x")?.pattern.text == "get_x")
        p.tools[0].action = .deny
        #expect(p.rule(for: "get_y")?.action == .deny)
        p.tools = []
        #expect(p.rule(for: "get_x") == nil)
    }
}

import PropertyBased
