import Testing
@testable import GatehouseCore

/// The top-level fields: version, default, description, $schema, tools, and the PolicyLayer seed.
@Suite("Policy: top level")
struct PolicyTopLevelTests {
    static let seed = #"{"version": "1", "default": "deny", "tools": {"BinanceFuturesCloseListenKey": {"limits": [{"counter": "binancefuturescloselistenkey_rate", "window": "minute", "max": 30, "scope": "grant"}]}}}"#

    @Test func loadsThePolicyLayerSeedVerbatim() throws {
        let p = try loadPolicy(Self.seed)
        #expect(p.defaultAction == .deny)
        #expect(p.tools.count == 1)
        #expect(p.tools[0].action == nil, "listed without an action")
        #expect(p.tools[0].limits == [Limit(counter: "binancefuturescloselistenkey_rate", window: 60, max: 30, scope: .grant)])
    }

    @Test func theSeedAllowsThirtyCallsAMinutePerGrantAndDeniesEverythingElse() throws {
        let e = try makeEngine(Self.seed)
        for i in 0..<30 {
            #expect(e.decide(call("BinanceFuturesCloseListenKey"), now: Double(i)).verdict.isAllow)
        }
        let limited = e.decide(call("BinanceFuturesCloseListenKey"), now: 30)
        let breach = try #require(limited.verdict.breach)
        #expect(breach.used == 30)
        #expect(breach.retryAfter == 30, "the first call (t=0) leaves the window at t=60")
        #expect(e.decide(call("BinanceFuturesCloseListenKey", grant: "bob"), now: 30).verdict.isAllow, "another grant has its own budget")
        #expect(e.decide(call("BinanceFuturesCloseListenKey"), now: 60).verdict.isAllow)
        let other = e.decide(call("BinanceFuturesPlaceOrder"), now: 0)
        #expect(other.verdict.denyRule == "default")
        #expect(other.verdict.denyReason == #"Tool "BinanceFuturesPlaceOrder" is not allowed by policy (default: deny)."#)
    }

    @Test func versionMustBeTheStringOne() throws {
        _ = try loadPolicy(#"{"version": "1"}"#)
        _ = try loadPolicy(#"{"version": 1}"#)
        let two = try singleError(#"{"version": "2"}"#)
        #expect(two.message == #"unsupported version "2""#)
        #expect(two.expected == #""1""#)
        #expect(two.location == Loc(line: 1, column: 13))
        #expect(try singleError(#"{"version": 1.0}"#).path.description == "version")
        #expect(try singleError(#"{"version": "1.0"}"#).path.description == "version")
        let missing = try singleError(#"{"default": "deny"}"#)
        #expect(missing.message == #"missing "version""#)
        #expect(missing.location == Loc(line: 1, column: 1))
    }

    @Test(arguments: PolicyAction.allCases)
    func defaultMayBeAnyAction(_ action: PolicyAction) throws {
        let p = try loadPolicy(#"{"version": "1", "default": "\#(action.rawValue)"}"#)
        #expect(p.defaultAction == action)
    }

    @Test func defaultIsDenyWhenOmitted() throws {
        let e = try makeEngine(#"{"version": "1"}"#)
        #expect(e.policy.defaultAction == .deny)
        #expect(e.decide(call("anything"), now: 0).verdict.isDeny)
    }

    @Test func defaultDecidesUnlistedTools() throws {
        #expect(try makeEngine(#"{"version": "1", "default": "allow"}"#).decide(call("x"), now: 0).verdict.isAllow)
        let held = try makeEngine(#"{"version": "1", "default": "require_approval"}"#).decide(call("x"), now: 0)
        #expect(held.verdict == .hold(.standard))
        #expect(held.rule == "default")
    }

    @Test func misspeltDefaultIsAnErrorWithASuggestion() throws {
        let e = try singleError(#"{"version": "1", "default": "alow"}"#)
        #expect(e.message == #""alow" is not a valid default"#)
        #expect(e.suggestion == "allow")
        #expect(e.expected == "one of: allow, deny, require_approval")
        let approval = try singleError(#"{"version": "1", "default": "require-approval"}"#)
        #expect(approval.suggestion == "require_approval")
    }

    @Test func descriptionAndSchemaAreAccepted() throws {
        let p = try loadPolicy(#"{"$schema": "https://example.com/s.json", "version": "1", "description": "Desk policy"}"#)
        #expect(p.description == "Desk policy")
        #expect(try singleError(#"{"version": "1", "description": 5}"#).message == "description must be a string, not a number")
    }

    @Test func toolsMustBeAnObject() throws {
        let e = try singleError(#"{"version": "1", "tools": ["a", "b"]}"#)
        #expect(e.message == "tools must be an object keyed by tool name, not an array")
    }

    @Test func unknownTopLevelKeysAreErrors() throws {
        let e = try singleError(#"{"version": "1", "defualt": "deny"}"#)
        #expect(e.message == #"unknown key "defualt" in the policy"#)
        #expect(e.suggestion == "default")
        #expect(e.path.description == "defualt")
        #expect(e.location == Loc(line: 1, column: 18))
        #expect(e.expected?.contains("$schema") == false, "the $schema key is allowed but not advertised")
    }

    @Test func countersListsEachCounterOnce() throws {
        let p = try loadPolicy(#"""
            {"version": "1",
             "all_tools": {"limits": [{"counter": "all", "window": "hour", "max": 1000}]},
             "tools": {"a": {"limits": [{"counter": "shared", "window": 60, "max": 5}]},
                       "b": {"limits": [{"counter": "shared", "window": 60, "max": 5}], "rate_limit": "5/hour"}}}
            """#)
        #expect(p.counters.map(\.counter) == ["all", "shared", "rate_limit:b"])
    }
}
