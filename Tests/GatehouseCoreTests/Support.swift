import Testing
@testable import GatehouseCore

// Small helpers shared by the core tests. They record a test failure (rather than crash) when a
// policy that should load does not, and show the diagnostics so the failure explains itself.

/// Loads a policy that must be valid.
func loadPolicy(_ text: String, format: PolicyLoader.Format = .json,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Policy {
    let result = PolicyLoader.load(text, file: "test.\(format.rawValue)", format: format)
    let errors = result.errors.map(\.description).joined(separator: "\n")
    return try #require(result.policy, "policy did not load:\n\(errors)", sourceLocation: sourceLocation)
}

/// The errors of a policy that must not load.
func loadErrors(_ text: String, format: PolicyLoader.Format = .json,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
    let result = PolicyLoader.load(text, file: "test.\(format.rawValue)", format: format)
    #expect(result.policy == nil, "policy loaded but should not have", sourceLocation: sourceLocation)
    #expect(!result.errors.isEmpty, "no error reported", sourceLocation: sourceLocation)
    return result.errors
}

/// The one error of a policy that must not load.
func singleError(_ text: String, format: PolicyLoader.Format = .json,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Diagnostic {
    let errors = loadErrors(text, format: format, sourceLocation: sourceLocation)
    #expect(errors.count == 1, "expected one error, got: \(errors.map(\.description))", sourceLocation: sourceLocation)
    return try #require(errors.first, sourceLocation: sourceLocation)
}

/// An engine over a policy that must be valid, with fresh in-memory counters.
func makeEngine(_ text: String, format: PolicyLoader.Format = .json,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PolicyEngine {
    PolicyEngine(policy: try loadPolicy(text, format: format, sourceLocation: sourceLocation), counters: InMemoryCounterStore())
}

func call(_ tool: String, _ args: JSONValue = [:], grant: String = "alice", session: String = "s1") -> CallContext {
    CallContext(tool: tool, arguments: args, grant: grant, session: session)
}

/// A policy with one tool whose `require` is the given condition; the verdict tells whether it held.
func conditionPolicy(_ condition: String) -> String {
    #"{"version": "1", "default": "deny", "tools": {"t": {"require": [\#(condition)]}}}"#
}

extension Decision.Verdict {
    var isAllow: Bool { if case .allow = self { true } else { false } }
    var isDeny: Bool { if case .deny = self { true } else { false } }
    var isHold: Bool { if case .hold = self { true } else { false } }
    var isRateLimited: Bool { if case .rateLimited = self { true } else { false } }
    var denyReason: String? { if case .deny(let r, _) = self { r } else { nil } }
    var denyRule: String? { if case .deny(_, let r) = self { r } else { nil } }
    var breach: CounterBreach? { if case .rateLimited(let b) = self { b } else { nil } }
}

/// Our source location, named apart from Swift Testing's.
typealias Loc = GatehouseCore.SourceLocation
