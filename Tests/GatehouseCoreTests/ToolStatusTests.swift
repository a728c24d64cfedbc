import Testing
@testable import GatehouseCore

/// A tool's effective state as the dashboard shows it.
@Suite("Tool status")
struct ToolStatusTests {
    static let policy = #"""
        {"version": "1", "default": "deny", "hide": ["h"],
         "tools": {"open": {}, "limited": {"rate_limit": "1/minute"}, "held": {"action": "require_approval"},
                   "checked": {"require": [{"path": "args.a", "op": "exists"}]}, "x_*": {"action": "deny"}}}
        """#

    @Test func summaries() throws {
        let e = try makeEngine(Self.policy)
        let none = RuntimeState()
        #expect(e.status(of: "h", state: none).summary == "hidden")
        #expect(e.status(of: "open", state: none).summary == "allowed")
        #expect(e.status(of: "limited", state: none).summary == "rate-limited")
        #expect(e.status(of: "held", state: none).summary == "needs approval")
        #expect(e.status(of: "x_y", state: none).summary == "denied")
        #expect(e.status(of: "unlisted", state: none).summary == "denied")
    }

    @Test func details() throws {
        let e = try makeEngine(Self.policy)
        let s = e.status(of: "x_y", state: RuntimeState())
        #expect(s.rule == #"tools["x_*"]"#)
        #expect(!s.hasConditions)
        #expect(e.status(of: "checked", state: RuntimeState()).hasConditions)
        #expect(e.status(of: "limited", state: RuntimeState()).limits.map(\.counter) == ["rate_limit:limited"])
        #expect(e.status(of: "unlisted", state: RuntimeState()).rule == "default")
    }

    @Test func overridesShow() throws {
        let e = try makeEngine(Self.policy)
        let o = ToolOverride(action: .allow, setBy: "ops", setAt: 0)
        let s = e.status(of: "h", state: RuntimeState(overrides: ["h": o]))
        #expect(!s.hidden)
        #expect(s.action == .allow)
        #expect(s.overridden == o)
        #expect(s.rule == "override")
    }
}
