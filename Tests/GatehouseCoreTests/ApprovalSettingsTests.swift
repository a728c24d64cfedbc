import Testing
@testable import GatehouseCore

/// `approval`: how long a held call waits, and what happens when nobody answers.
@Suite("Policy: approval settings")
struct ApprovalSettingsTests {
    @Test func theStandardIsDenyAfterTwoMinutes() throws {
        #expect(ApprovalSettings.standard == ApprovalSettings(timeout: 120, onTimeout: .deny))
        let e = try makeEngine(#"{"version": "1", "default": "require_approval"}"#)
        let d = e.decide(call("x"), now: 0)
        #expect(d.verdict == .hold(.standard))
        #expect(d.trace.last == TraceStep("approval", "required; deny after 2m"))
    }

    @Test func policyWideSettings() throws {
        let p = try loadPolicy(#"{"version": "1", "approval": {"timeout": "5m", "on_timeout": "allow"}}"#)
        #expect(p.approval == ApprovalSettings(timeout: 300, onTimeout: .allow))
    }

    @Test func aToolsSettingsWin() throws {
        let e = try makeEngine(#"""
            {"version": "1", "approval": {"timeout": "5m"},
             "tools": {"t": {"action": "require_approval", "approval": {"timeout": 30, "on_timeout": "allow"}}}}
            """#)
        #expect(e.decide(call("t"), now: 0).verdict == .hold(ApprovalSettings(timeout: 30, onTimeout: .allow)))
    }

    @Test func aToolInheritsTheFieldsItLeavesOut() throws {
        let p = try loadPolicy(#"""
            {"version": "1", "approval": {"timeout": "5m", "on_timeout": "allow"},
             "tools": {"a": {"action": "require_approval", "approval": {"timeout": "1m"}},
                       "b": {"action": "require_approval", "approval": {"on_timeout": "deny"}},
                       "c": {"action": "require_approval"}}}
            """#)
        #expect(p.tools[0].approval == ApprovalSettings(timeout: 60, onTimeout: .allow))
        #expect(p.tools[1].approval == ApprovalSettings(timeout: 300, onTimeout: .deny))
        #expect(p.tools[2].approval == nil)
        let e = PolicyEngine(policy: p, counters: InMemoryCounterStore())
        #expect(e.decide(call("c"), now: 0).verdict == .hold(ApprovalSettings(timeout: 300, onTimeout: .allow)))
    }

    @Test(arguments: [("\"90s\"", 90.0), ("\"2m\"", 120), ("\"1h\"", 3600), ("45", 45), ("0.5", 0.5), ("\"1d\"", 86400)])
    func timeouts(_ json: String, _ seconds: Double) throws {
        #expect(try loadPolicy(#"{"version": "1", "approval": {"timeout": \#(json)}}"#).approval.timeout == seconds)
    }

    @Test(arguments: [
        ("0", "timeout must be a positive duration, not 0"),
        ("-1", "timeout must be a positive duration, not -1"),
        ("\"soon\"", "\"soon\" is not a duration"),
        ("true", "timeout must be a positive duration, not true"),
        ("\"2d\"", "timeout is longer than a day; a held call would outlive any client"),
    ])
    func invalidTimeouts(_ json: String, _ message: String) throws {
        let e = try singleError(#"{"version": "1", "approval": {"timeout": \#(json)}}"#)
        #expect(e.message == message)
        #expect(e.path.description == "approval.timeout")
    }

    @Test func onTimeoutMustBeAllowOrDeny() throws {
        let e = try singleError(#"{"version": "1", "approval": {"on_timeout": "deni"}}"#)
        #expect(e.suggestion == "deny")
        #expect(e.expected == "one of: deny, allow")
        #expect(try singleError(#"{"version": "1", "approval": {"timeout": 5, "ontimeout": "deny"}}"#).suggestion == "on_timeout")
    }
}
