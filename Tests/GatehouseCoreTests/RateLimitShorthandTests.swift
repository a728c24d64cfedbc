import Testing
@testable import GatehouseCore

/// `"rate_limit": "5/hour"` and `"rate_limit": {"max": 10, "window": 60}`.
@Suite("Policy: rate_limit shorthand")
struct RateLimitShorthandTests {
    private func shorthand(_ json: String, tool: String = "t") throws -> Limit {
        let p = try loadPolicy(#"{"version": "1", "tools": {"\#(tool)": {"rate_limit": \#(json)}}}"#)
        return try #require(p.tools.first?.limits.first)
    }

    @Test func stringForm() throws {
        #expect(try shorthand(#""5/hour""#) == Limit(counter: "rate_limit:t", window: 3600, max: 5, scope: .session))
        #expect(try shorthand(#"" 30 / minute ""#).max == 30)
        #expect(try shorthand(#""10/90""#).window == 90)
        #expect(try shorthand(#""10/2m""#).window == 120)
    }

    @Test func objectForm() throws {
        #expect(try shorthand(#"{"max": 10, "window": 60}"#) == Limit(counter: "rate_limit:t", window: 60, max: 10, scope: .session))
        #expect(try shorthand(#"{"max": 10, "window": "day", "scope": "global"}"#).scope == .global)
    }

    @Test func theCounterBelongsToTheRuleSoAGlobsToolsShareIt() throws {
        let e = try makeEngine(#"{"version": "1", "tools": {"get_*": {"rate_limit": "2/minute"}, "put": {"rate_limit": "1/minute"}}}"#)
        #expect(e.decide(call("get_a"), now: 0).verdict.isAllow)
        #expect(e.decide(call("get_b"), now: 0).verdict.isAllow)
        let d = e.decide(call("get_c"), now: 0)
        #expect(d.verdict.breach?.charge.key.counter == "rate_limit:get_*")
        #expect(d.verdict.breach?.charge.key.scope == .session)
        #expect(e.decide(call("put"), now: 0).verdict.isAllow, "another rule has its own counter")
        #expect(e.decide(call("get_a", session: "s2"), now: 0).verdict.isAllow, "the shorthand is per session")
    }

    @Test func combinesWithLimits() throws {
        let p = try loadPolicy(#"""
            {"version": "1", "tools": {"t": {"rate_limit": "5/hour", "limits": [{"counter": "c", "window": 60, "max": 1}]}}}
            """#)
        #expect(p.tools[0].limits.map(\.counter) == ["c", "rate_limit:t"])
    }

    @Test(arguments: [
        (#""5 per hour""#, #"rate_limit "5 per hour" is not of the form "N/window""#),
        (#""5/""#, #""" is not a window"#),
        (#""/hour""#, #"rate_limit "/hour" is not of the form "N/window""#),
        (#""-5/hour""#, #"rate_limit "-5/hour" is not of the form "N/window""#),
        (#""1.5/hour""#, #"rate_limit "1.5/hour" is not of the form "N/window""#),
        (#""0/hour""#, #"rate_limit max must be positive, not 0 (to block a tool, use "action": "deny")"#),
        (#""5/minutes""#, #""minutes" is not a window"#),
        ("5", "rate_limit must be \"N/window\" or {\"max\": N, \"window\": W}, not a number"),
        (#"{"max": 5}"#, #"rate_limit needs "window""#),
        (#"{"window": 60}"#, #"rate_limit needs "max""#),
        (#"{"max": 5, "window": 60, "counter": "x"}"#, #"unknown key "counter" in rate_limit"#),
        (#"{"max": 5, "window": 60, "scope": "globl"}"#, #""globl" is not a valid scope"#),
    ])
    func malformedShorthands(_ json: String, _ message: String) throws {
        let e = try singleError(#"{"version": "1", "tools": {"t": {"rate_limit": \#(json)}}}"#)
        #expect(e.message == message)
        #expect(e.path.description.hasPrefix("tools.t.rate_limit"))
    }

    @Test func misspeltWindowInTheStringFormSuggests() throws {
        let e = try singleError(#"{"version": "1", "tools": {"t": {"rate_limit": "5/minutes"}}}"#)
        #expect(e.suggestion == "minute")
    }
}
