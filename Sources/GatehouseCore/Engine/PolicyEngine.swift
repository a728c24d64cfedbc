/// Decides every `tools/call`. Pure apart from the counter store it is given; time comes in as an argument.
///
/// Evaluation order (docs/policy.md describes the same order; a test keeps them in step):
/// 1. kill switch  2. hide  3. rule lookup  4. runtime override  5. action deny
/// 6. conditions (all_tools.require, all_tools.deny_if, rule require, rule deny_if)
/// 7. counter charges (increment_from)  8. hold for approval (unless a standing approval covers it)
/// 9. reserve counters
public struct PolicyEngine: Sendable {
    public let policy: Policy
    public let counters: any CounterStore

    /// Per rule in `policy.tools`: its name and its "rule" trace step. With the steps below, a
    /// call that meets no condition and no counter renders no text at all.
    private let ruleNames: [String]
    private let ruleSteps: [TraceStep]
    private let defaultRuleStep: TraceStep
    private static let killSwitchOff = TraceStep("kill switch", "off")
    private static let actionSteps = Dictionary(uniqueKeysWithValues: PolicyAction.allCases.map { ($0, TraceStep("action", $0.rawValue)) })

    public init(policy: Policy, counters: any CounterStore) {
        self.policy = policy
        self.counters = counters
        ruleNames = policy.tools.map(\.name)
        ruleSteps = policy.tools.map { TraceStep("rule", "\($0.name) (\($0.pattern.isGlob ? "glob" : "exact"))") }
        defaultRuleStep = TraceStep("rule", "none; default is \(policy.defaultAction)")
    }

    /// The steps in the order `decide` takes them, for the docs test.
    public static let evaluationOrder = [
        "kill switch", "hide", "rule", "override", "action", "conditions", "charges", "approval", "counters",
    ]

    public func decide(_ call: CallContext, state: RuntimeState = RuntimeState(), now: Double) -> Decision {
        var trace: [TraceStep] = []
        func deny(_ reason: String, rule: String) -> Decision {
            Decision(verdict: .deny(reason: reason, rule: rule), trace: trace, rule: rule, reservation: nil, charges: [])
        }

        // 1. Kill switch: nothing passes.
        if let k = state.killSwitch {
            trace.append(TraceStep("kill switch", "engaged by \(k.engagedBy)"))
            var reason = "Kill switch engaged by \(k.engagedBy) at \(Self.timestamp(k.engagedAt)): every tool call is blocked"
            if let r = k.reason, !r.isEmpty { reason += " (\(r))" }
            return deny(reason + ".", rule: "kill_switch")
        }
        trace.reserveCapacity(4)
        trace.append(Self.killSwitchOff)

        // Most gateways have no override: the tool's name is not hashed for nothing.
        let override = state.overrides.isEmpty ? nil : state.overrides[call.tool]

        // 2. Hidden tools do not exist for the agent, unless an operator explicitly allowed one.
        if policy.isHidden(call.tool), override?.action != .allow {
            trace.append(TraceStep("hide", "hidden"))
            return deny("Tool \"\(call.tool)\" is not available.", rule: "hide")
        }

        // 3. Rule.
        let ruleIndex = policy.ruleIndex(for: call.tool)
        let rule = ruleIndex.map { policy.tools[$0] }
        trace.append(ruleIndex.map { ruleSteps[$0] } ?? defaultRuleStep)
        let ruleName = ruleIndex.map { ruleNames[$0] } ?? "default"

        // 4–5. Action: an override replaces it; a listed tool with no action is allowed.
        var action = rule.map { $0.action ?? .allow } ?? policy.defaultAction
        var decidedBy = ruleName
        if let override {
            trace.append(TraceStep("override", "\(override.action) (set by \(override.setBy))"))
            action = override.action
            decidedBy = "override"
        }
        trace.append(Self.actionSteps[action] ?? TraceStep("action", action.rawValue))
        if action == .deny {
            if override?.action == .deny {
                return deny("Tool \"\(call.tool)\" was blocked by operator \(override!.setBy).", rule: "override")
            }
            let reason = rule?.reason ?? (rule == nil
                ? "Tool \"\(call.tool)\" is not allowed by policy (default: deny)."
                : "Tool \"\(call.tool)\" is denied by policy.")
            return deny(reason, rule: decidedBy)
        }

        // 6. Conditions, all_tools first.
        func check(_ owner: String, _ kind: String, _ conditions: [Condition], mustHold: Bool, _ r: ToolRule) -> Decision? {
            for c in conditions {
                let outcome = c.evaluate(call)
                let label = "\(owner) \(kind) \(c)"
                switch outcome {
                case .holds:
                    trace.append(TraceStep(label, "holds"))
                    if !mustHold {
                        let why = r.reason ?? "Denied by policy: \(c) (\(owner) deny_if)."
                        return deny(r.reason != nil ? "\(why) [\(c)]" : why, rule: owner)
                    }
                case .fails:
                    trace.append(TraceStep(label, "does not hold"))
                    if mustHold {
                        let why = r.reason ?? "Denied by policy: requires \(c) (\(owner) require)."
                        return deny(r.reason != nil ? "\(why) [requires \(c)]" : why, rule: owner)
                    }
                case .indeterminate(let detail):
                    // Fail closed: a value the condition cannot test never lets a call through.
                    trace.append(TraceStep(label, "cannot be tested (\(detail)); treated as denying"))
                    return deny("Denied by policy: \(detail), so \(c) cannot be checked (\(owner) \(kind)).", rule: owner)
                }
            }
            return nil
        }
        let all = policy.allTools
        if let d = check("all_tools", "require", all.require, mustHold: true, all) { return d }
        if let d = check("all_tools", "deny_if", all.denyIf, mustHold: false, all) { return d }
        if let rule {
            if let d = check(ruleName, "require", rule.require, mustHold: true, rule) { return d }
            if let d = check(ruleName, "deny_if", rule.denyIf, mustHold: false, rule) { return d }
        }

        // 7. Charges.
        var charges: [CounterCharge] = []
        let ruleLimits = rule?.limits ?? []
        let limited = all.limits.isEmpty && ruleLimits.isEmpty ? []
            : all.limits.map { ($0, "all_tools") } + ruleLimits.map { ($0, ruleName) }
        for (limit, owner) in limited {
            var amount = 1.0
            if let from = limit.incrementFrom {
                // Fail closed: a spend cap that cannot tell what a call spends does not let it through.
                guard let raw = from.resolve(in: call) else {
                    trace.append(TraceStep("counter \(limit.counter)", "\(from) is missing"))
                    return deny("Denied by policy: counter \"\(limit.counter)\" counts \(from), which this call does not give.",
                                rule: owner)
                }
                guard let v = Condition.numeric(raw), v >= 0 else {
                    trace.append(TraceStep("counter \(limit.counter)", "\(from) is not a non-negative number"))
                    return deny("Denied by policy: counter \"\(limit.counter)\" counts \(from), which must be a non-negative number (got \(raw)).",
                                rule: owner)
                }
                amount = v
            }
            charges.append(CounterCharge(key: CounterKey(limit: limit, call: call), window: limit.window, max: limit.max, amount: amount))
        }

        // 8. Approval.
        if action == .requireApproval {
            if let g = state.grants.first(where: { $0.covers(call, now: now) }) {
                trace.append(TraceStep("approval", "covered by standing approval \(g.id) from \(g.grantedBy) (\(g.scopeDescription))"))
            } else {
                // Do not ask a person about a call the counters would refuse anyway.
                do {
                    if let breach = try counters.check(charges, now: now) {
                        trace.append(TraceStep("counters", "\(breach.charge.key) full"))
                        return Decision(verdict: .rateLimited(breach), trace: trace, rule: ruleName, reservation: nil, charges: charges)
                    }
                } catch {
                    return deny("Denied: counters could not be checked (\(error)).", rule: "counters")
                }
                let settings = rule?.approval ?? policy.approval
                trace.append(TraceStep("approval", "required; \(settings.onTimeout.rawValue) after \(DurationText.format(settings.timeout))"))
                return Decision(verdict: .hold(settings), trace: trace, rule: decidedBy, reservation: nil, charges: charges)
            }
        }

        // 9. Counters.
        return reserve(charges, trace: trace, rule: decidedBy, now: now)
    }

    /// Admits a call that was held and then approved: its counters are taken now.
    public func admit(_ held: Decision, approvedBy: String, now: Double) -> Decision {
        var trace = held.trace
        trace.append(TraceStep("approval", "approved by \(approvedBy)"))
        return reserve(held.charges, trace: trace, rule: held.rule, now: now)
    }

    private func reserve(_ charges: [CounterCharge], trace: [TraceStep], rule: String, now: Double) -> Decision {
        var trace = trace
        if charges.isEmpty {
            return Decision(verdict: .allow, trace: trace, rule: rule, reservation: nil, charges: [])
        }
        do {
            switch try counters.reserve(charges, now: now) {
            case .reserved(let r):
                for c in charges {
                    trace.append(TraceStep("counter \(c.key)", "+\(Decision.formatAmount(c.amount)) (max \(c.max) per \(Limit.describe(window: c.window)))"))
                }
                return Decision(verdict: .allow, trace: trace, rule: rule, reservation: r, charges: charges)
            case .exceeded(let b):
                trace.append(TraceStep("counter \(b.charge.key)", "full: \(Decision.formatAmount(b.used))/\(b.charge.max)"))
                return Decision(verdict: .rateLimited(b), trace: trace, rule: rule, reservation: nil, charges: charges)
            }
        } catch {
            // Fail closed: a call whose budget cannot be checked is not forwarded.
            trace.append(TraceStep("counters", "unavailable: \(error)"))
            return Decision(verdict: .deny(reason: "Denied: the rate-limit store is unavailable (\(error)).", rule: "counters"),
                            trace: trace, rule: "counters", reservation: nil, charges: charges)
        }
    }

    static func timestamp(_ t: Double) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}

import Foundation
