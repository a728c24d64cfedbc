import Testing
@testable import GatehouseCore

/// `require` (all must hold) and `deny_if` (any denies) as the engine applies them.
@Suite("require and deny_if")
struct RequireAndDenyIfTests {
    static let policy = #"""
        {"version": "1", "default": "deny", "tools": {
          "transfer": {
            "reason": "Transfers are limited to the treasury desk.",
            "require": [{"path": "args.currency", "op": "in", "value": ["USD", "EUR"]},
                        {"path": "args.amount", "op": "exists"}],
            "deny_if": [{"path": "args.amount", "op": "gt", "value": 1000},
                        {"path": "args.memo", "op": "contains", "value": "urgent"}]
          },
          "read": {}
        }}
        """#

    @Test func allRequiredConditionsMustHold() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": 5]), now: 0).verdict.isAllow)
        let d = e.decide(call("transfer", ["currency": "GBP", "amount": 5]), now: 0)
        #expect(d.verdict.denyRule == #"tools["transfer"]"#)
        #expect(d.verdict.denyReason == #"Transfers are limited to the treasury desk. [requires args.currency in ["USD","EUR"]]"#)
        #expect(e.decide(call("transfer", ["currency": "USD"]), now: 0).verdict.isDeny, "second requirement: amount exists")
    }

    @Test func anyDenyIfConditionDenies() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": 1001]), now: 0).verdict.isDeny)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": 10, "memo": "very urgent"]), now: 0).verdict.isDeny)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": 1000, "memo": "fine"]), now: 0).verdict.isAllow)
    }

    @Test func numericStringsAreComparedAsNumbers() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": "1000.5"]), now: 0).verdict.isDeny)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": "999"]), now: 0).verdict.isAllow)
    }

    @Test func indeterminateConditionsFailClosedInDenyIf() throws {
        // "a lot" cannot be compared with 1000: deny_if would not hold, but the call must still be denied.
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("transfer", ["currency": "USD", "amount": "a lot"]), now: 0)
        #expect(d.verdict.isDeny)
        #expect(d.verdict.denyReason?.contains("cannot be checked") == true)
        #expect(d.trace.last?.result.contains("treated as denying") == true)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": "0x10"]), now: 0).verdict.isDeny)
        #expect(e.decide(call("transfer", ["currency": "USD", "amount": ["value": 5]]), now: 0).verdict.isDeny)
    }

    @Test func indeterminateConditionsFailClosedInRequire() throws {
        let e = try makeEngine(conditionPolicy(#"{"path": "args.n", "op": "lte", "value": 5}"#))
        #expect(e.decide(call("t", ["n": 5]), now: 0).verdict.isAllow)
        #expect(e.decide(call("t", ["n": true]), now: 0).verdict.isDeny)
        #expect(e.decide(call("t", [:]), now: 0).verdict.isDeny, "a required comparison on a missing value fails")
    }

    @Test func conditionsRunInOrderAndStopAtTheFirstDecidingOne() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(call("transfer", ["currency": "GBP", "amount": 5000]), now: 0)
        let checks = d.trace.map(\.check).filter { $0.hasPrefix(#"tools["transfer"]"#) }
        #expect(checks == [#"tools["transfer"] require args.currency in ["USD","EUR"]"#])
    }

    @Test func defaultReasonNamesTheCondition() throws {
        let e = try makeEngine(#"{"version": "1", "tools": {"t": {"deny_if": [{"path": "args.env", "op": "eq", "value": "prod"}]}}}"#)
        let d = e.decide(call("t", ["env": "prod"]), now: 0)
        #expect(d.verdict.denyReason == #"Denied by policy: args.env eq "prod" (tools["t"] deny_if)."#)
    }
}
