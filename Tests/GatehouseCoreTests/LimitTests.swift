import Testing
@testable import GatehouseCore

/// `limits`: counter, window, max, scope, and counters shared by name.
@Suite("Policy: limits")
struct LimitTests {
    private func limit(_ json: String) throws -> Limit {
        let p = try loadPolicy(#"{"version": "1", "tools": {"t": {"limits": [\#(json)]}}}"#)
        return try #require(p.tools.first?.limits.first)
    }

    private func limitError(_ json: String) throws -> Diagnostic {
        try singleError(#"{"version": "1", "tools": {"t": {"limits": [\#(json)]}}}"#)
    }

    @Test(arguments: [("second", 1.0), ("minute", 60), ("hour", 3600), ("day", 86400)])
    func windowNames(_ name: String, _ seconds: Double) throws {
        #expect(try limit(#"{"counter": "c", "window": "\#(name)", "max": 1}"#).window == seconds)
    }

    @Test(arguments: [("90", 90.0), ("0.5", 0.5), ("\"90\"", 90), ("\"90s\"", 90), ("\"2m\"", 120), ("\"1h30m\"", 5400), ("\"7d\"", 604800)])
    func windowNumbersAndDurations(_ json: String, _ seconds: Double) throws {
        #expect(try limit(#"{"counter": "c", "window": \#(json), "max": 1}"#).window == seconds)
    }

    @Test func misspeltWindowSuggestsTheName() throws {
        let e = try limitError(#"{"counter": "c", "window": "minutes", "max": 1}"#)
        #expect(e.message == #""minutes" is not a window"#)
        #expect(e.suggestion == "minute")
        #expect(e.expected == "second, minute, hour, day, or a number of seconds")
        #expect(try limitError(#"{"counter": "c", "window": "hours", "max": 1}"#).suggestion == "hour")
        #expect(try limitError(#"{"counter": "c", "window": "dya", "max": 1}"#).suggestion == "day")
    }

    @Test(arguments: ["0", "-60", "\"0s\"", "\"-1m\"", "true", "\"\"", "\"fortnight\"", "1e400", "31622401", "\"367d\""])
    func invalidWindows(_ json: String) throws {
        let e = try limitError(#"{"counter": "c", "window": \#(json), "max": 1}"#)
        #expect(e.path.description == "tools.t.limits[0].window")
    }

    @Test func theLongestWindowIsAYear() throws {
        #expect(try limit(#"{"counter": "c", "window": "366d", "max": 1}"#).window == 366 * 86400)
    }

    @Test(arguments: CounterScope.allCases)
    func scopes(_ scope: CounterScope) throws {
        #expect(try limit(#"{"counter": "c", "window": 60, "max": 1, "scope": "\#(scope.rawValue)"}"#).scope == scope)
    }

    @Test func scopeDefaultsToGrant() throws {
        #expect(try limit(#"{"counter": "c", "window": 60, "max": 1}"#).scope == .grant)
    }

    @Test func misspeltScopeSuggestsTheName() throws {
        let e = try limitError(#"{"counter": "c", "window": 60, "max": 1, "scope": "sesion"}"#)
        #expect(e.message == #""sesion" is not a valid scope"#)
        #expect(e.suggestion == "session")
        #expect(e.expected == "one of: grant, session, global")
    }

    @Test func scopesKeyTheBudget() throws {
        let e = try makeEngine(#"""
            {"version": "1", "tools": {
              "g": {"limits": [{"counter": "g", "window": 60, "max": 1, "scope": "grant"}]},
              "s": {"limits": [{"counter": "s", "window": 60, "max": 1, "scope": "session"}]},
              "x": {"limits": [{"counter": "x", "window": 60, "max": 1, "scope": "global"}]}}}
            """#)
        #expect(e.decide(call("g", grant: "a", session: "1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("g", grant: "a", session: "2"), now: 0).verdict.isRateLimited, "same grant, other session")
        #expect(e.decide(call("g", grant: "b", session: "1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("s", grant: "a", session: "1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("s", grant: "b", session: "1"), now: 0).verdict.isRateLimited, "same session, other grant")
        #expect(e.decide(call("s", grant: "a", session: "2"), now: 0).verdict.isAllow)
        #expect(e.decide(call("x", grant: "a", session: "1"), now: 0).verdict.isAllow)
        #expect(e.decide(call("x", grant: "b", session: "2"), now: 0).verdict.isRateLimited, "global: everyone")
    }

    @Test func theSameCounterNameIsOneSharedBudget() throws {
        let e = try makeEngine(#"""
            {"version": "1", "tools": {
              "buy":  {"limits": [{"counter": "orders", "window": "minute", "max": 3}]},
              "sell": {"limits": [{"counter": "orders", "window": "minute", "max": 3}]}}}
            """#)
        #expect(e.decide(call("buy"), now: 0).verdict.isAllow)
        #expect(e.decide(call("sell"), now: 1).verdict.isAllow)
        #expect(e.decide(call("buy"), now: 2).verdict.isAllow)
        let d = e.decide(call("sell"), now: 3)
        #expect(d.verdict.breach?.charge.key == CounterKey(counter: "orders", scope: .grant, subject: "alice"))
        #expect(d.message == #"Rate limit reached: counter "orders" is at 3/3 per minute for grant "alice". Retry after 57s."#)
    }

    @Test func sharedCounterDeclarationsMustAgree() throws {
        let text = """
            {"version": "1", "tools": {
              "buy":  {"limits": [{"counter": "orders", "window": "minute", "max": 3}]},
              "sell": {"limits": [{"counter": "other", "window": "hour", "max": 9},
                                  {"counter": "orders", "window": "minute", "max": 5}]}}}
            """
        let e = try singleError(text)
        #expect(e.path.description == "tools.sell.limits[1]")
        #expect(e.location == Loc(line: 4, column: 23))
        #expect(e.message.contains(#"counter "orders" is declared differently in tools["buy"] (window minute, max 3, scope grant) and here (window minute, max 5, scope grant)"#))
        #expect(e.expected == "window minute, max 3, scope grant, or another counter name")
    }

    @Test(arguments: [
        ("0", "max must be positive, not 0 (to block a tool, use \"action\": \"deny\")"),
        ("-5", "max must be positive, not -5 (to block a tool, use \"action\": \"deny\")"),
        ("1.5", "max must be a whole number, not 1.5"),
        ("\"10\"", "max must be a number, not a string"),
        ("null", "max must be a positive whole number, not null"),
        ("1e20", "max 1e20 is too large"),
    ])
    func maxMustBeAPositiveWholeNumber(_ json: String, _ message: String) throws {
        let e = try limitError(#"{"counter": "c", "window": 60, "max": \#(json)}"#)
        #expect(e.message == message)
        #expect(e.path.description == "tools.t.limits[0].max")
    }

    @Test func maxAsAStringSaysHowToFixIt() throws {
        #expect(try limitError(#"{"counter": "c", "window": 60, "max": "10"}"#).expected == "10 without quotes")
    }

    @Test func wholeNumbersWrittenWithAnExponentAreFine() throws {
        #expect(try limit(#"{"counter": "c", "window": 60, "max": 1e3}"#).max == 1000)
        #expect(try limit(#"{"counter": "c", "window": 60, "max": 5.0}"#).max == 5)
    }

    @Test func requiredFieldsAreAllReported() throws {
        let errors = loadErrors(#"{"version": "1", "tools": {"t": {"limits": [{}]}}}"#)
        #expect(errors.map(\.message) == [
            #"a limit needs "counter" (a name; limits naming the same counter share one budget)"#,
            #"a limit needs "window""#,
            #"a limit needs "max""#,
        ])
        #expect(try limitError(#"{"counter": "", "window": 60, "max": 1}"#).message == "counter must not be empty")
    }

    @Test func limitsMustBeAList() throws {
        let e = try singleError(#"{"version": "1", "tools": {"t": {"limits": {"counter": "c"}}}}"#)
        #expect(e.message == "limits must be a list, not an object")
    }
}
