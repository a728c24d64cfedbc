import Testing
@testable import GatehouseCore

/// `increment_from`: a counter that adds an argument's value (a spend cap) instead of 1.
@Suite("Policy: increment_from")
struct IncrementFromTests {
    static let policy = #"""
        {"version": "1", "tools": {"pay": {"limits": [
          {"counter": "spend", "window": "hour", "max": 1000, "increment_from": "args.payment.amount"}]}}}
        """#

    private func pay(_ amount: JSONValue?) -> CallContext {
        call("pay", amount.map { ["payment": ["amount": $0]] } ?? ["payment": [:]])
    }

    @Test func addsTheArgumentsValue() throws {
        let e = try makeEngine(Self.policy)
        #expect(e.decide(pay(400), now: 0).verdict.isAllow)
        #expect(e.decide(pay("500.5"), now: 1).verdict.isAllow, "numeric strings count")
        let d = e.decide(pay(100), now: 2)
        let b = try #require(d.verdict.breach)
        #expect(b.used == 900.5)
        #expect(b.charge.amount == 100)
        #expect(b.retryAfter == 3598, "the 400 charged at t=0 must leave the window (t=3600) before 100 more fits")
        #expect(d.message == #"Rate limit reached: counter "spend" is at 900.50/1000 per hour for grant "alice"; this call would add 100. Retry after 59m58s."#)
        #expect(e.decide(pay(99.5), now: 3).verdict.isAllow, "exactly up to max")
        #expect(e.decide(pay(0), now: 4).verdict.isAllow, "zero always fits")
    }

    @Test func anAmountLargerThanMaxCanNeverFit() throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(pay(1001), now: 0)
        #expect(d.verdict.breach?.retryAfter == nil)
        #expect(d.message?.hasSuffix("This call can never fit in the limit.") == true)
    }

    @Test(arguments: [
        (JSONValue?.none, #"Denied by policy: counter "spend" counts args.payment.amount, which this call does not give."#),
        (JSONValue.string("lots"), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got "lots")."#),
        (JSONValue.number(-5), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got -5)."#),
        (JSONValue.string("-0.01"), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got "-0.01")."#),
        (JSONValue.bool(true), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got true)."#),
        (JSONValue.null, #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got null)."#),
        (JSONValue.number(JSONNumber(literal: "1e400")), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got 1e400)."#),
        (JSONValue.string("0x10"), #"Denied by policy: counter "spend" counts args.payment.amount, which must be a non-negative number (got "0x10")."#),
    ])
    func unusableAmountsAreDeniedWithAClearReason(_ amount: JSONValue?, _ reason: String) throws {
        let e = try makeEngine(Self.policy)
        let d = e.decide(pay(amount), now: 0)
        #expect(d.verdict == .deny(reason: reason, rule: #"tools["pay"]"#))
        #expect(d.reservation == nil)
    }

    @Test func denialsInAllToolsAreAttributedToAllTools() throws {
        let e = try makeEngine(#"{"version": "1", "default": "allow", "all_tools": {"limits": [{"counter": "c", "window": 60, "max": 10, "increment_from": "args.n"}]}}"#)
        #expect(e.decide(call("x", [:]), now: 0).verdict.denyRule == "all_tools")
    }

    @Test func mustNameAnArgument() throws {
        let e = try singleError(#"{"version": "1", "tools": {"t": {"limits": [{"counter": "c", "window": 60, "max": 1, "increment_from": "grant"}]}}}"#)
        #expect(e.message == "increment_from must name an argument (args.…)")
        #expect(e.path.description == "tools.t.limits[0].increment_from")
        let misspelt = try singleError(#"{"version": "1", "tools": {"t": {"limits": [{"counter": "c", "window": 60, "max": 1, "increment_from": "arg.amount"}]}}}"#)
        #expect(misspelt.suggestion == "args.amount")
    }
}
