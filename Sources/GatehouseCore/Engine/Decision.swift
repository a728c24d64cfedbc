/// The engine's answer for one call, with the reasoning that led to it.
public struct Decision: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        case allow
        case deny(reason: String, rule: String)
        case rateLimited(CounterBreach)
        case hold(ApprovalSettings)

        /// The short word the audit log, control socket and dashboard use.
        public var kind: String {
            switch self {
            case .allow: "allow"
            case .deny: "deny"
            case .rateLimited: "rate_limited"
            case .hold: "hold"
            }
        }
    }

    public var verdict: Verdict
    /// Every check made, in order.
    public var trace: [TraceStep]
    /// The rule that decided: `tools["x"]`, `default`, `hide`, `kill_switch`, `override`, `all_tools`.
    public var rule: String
    /// Taken when the verdict is allow; the gateway commits or rolls it back.
    public var reservation: Reservation?
    /// What the call will charge if a held call is later admitted.
    public var charges: [CounterCharge]

    /// The text the agent reads when the call is not allowed.
    public var message: String? {
        switch verdict {
        case .allow, .hold: return nil
        case .deny(let reason, _): return reason
        case .rateLimited(let b): return Decision.describe(b)
        }
    }

    public static func describe(_ b: CounterBreach) -> String {
        let c = b.charge
        var text = "Rate limit reached: counter \"\(c.key.counter)\" is at \(formatAmount(b.used))/\(c.max) per \(Limit.describe(window: c.window))"
        switch c.key.scope {
        case .grant: text += " for grant \"\(c.key.subject)\""
        case .session: text += " for this session"
        case .global: text += " (global)"
        }
        if c.amount != 1 { text += "; this call would add \(formatAmount(c.amount))" }
        if let r = b.retryAfter {
            text += ". Retry after \(DurationText.format(Swift.max(1, r.rounded(.up))))."
        } else {
            text += ". This call can never fit in the limit."
        }
        return text
    }

    public static func formatAmount(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.2f", d)
    }
}

/// One check in a decision, readable by a person: `condition deny_if args.amount gt 1000: holds`.
public struct TraceStep: Sendable, Hashable, CustomStringConvertible {
    public let check: String
    public let result: String
    /// Rendered once: the audit log stores every step as text, and the steps most calls take
    /// are built once per policy (see `PolicyEngine`), so a call renders none of its own.
    public let description: String

    public init(_ check: String, _ result: String) {
        self.check = check
        self.result = result
        description = "\(check): \(result)"
    }
}

import Foundation
