import GatehouseCore

/// `gatehouse policy explain`: what the policy decides for one call, and why, step by step.
public enum PolicyExplain {
    public struct Request: Sendable {
        public var file: String
        public var tool: String
        /// The call's arguments as JSON text; nil for `{}`.
        public var arguments: String?
        public var grant: String
        public var session: String
        /// How many times to make the call, to watch rate limits take effect.
        public var calls: Int
        /// Seconds between repeated calls.
        public var interval: Double
        public var format: PolicyLoader.Format?

        public init(file: String, tool: String, arguments: String? = nil, grant: String = "cli", session: String = "cli",
                    calls: Int = 1, interval: Double = 0, format: PolicyLoader.Format? = nil) {
            self.file = file
            self.tool = tool
            self.arguments = arguments
            self.grant = grant
            self.session = session
            self.calls = calls
            self.interval = interval
            self.format = format
        }
    }

    /// Exit status: 0 when the call was explained (whatever the verdict), 1 when the policy is
    /// invalid, 2 when the file cannot be read or an option is unusable.
    public static func run(_ r: Request, json: Bool, now: Double, read: PolicyFileReader = PolicyFiles.read) -> PolicyCommandOutput {
        var out = PolicyCommandOutput()
        guard r.calls >= 1 else {
            return PolicyCommandOutput(stderr: "error: --calls must be at least 1\n", exitCode: PolicyExitCode.unreadable)
        }
        guard r.interval >= 0, r.interval.isFinite else {
            return PolicyCommandOutput(stderr: "error: --interval must not be negative\n", exitCode: PolicyExitCode.unreadable)
        }
        var arguments: JSONValue = .object(JSONObject())
        if let text = r.arguments {
            do {
                arguments = try JSONParser.parse(text)
            } catch {
                return PolicyCommandOutput(stderr: "error: --args is not valid JSON: \(error)\n", exitCode: PolicyExitCode.unreadable)
            }
            guard case .object = arguments else {
                return PolicyCommandOutput(stderr: "error: --args must be a JSON object (MCP tool arguments), not \(arguments.typeName)\n",
                                           exitCode: PolicyExitCode.unreadable)
            }
        }
        let bytes: [UInt8]
        do {
            bytes = try read(r.file)
        } catch {
            return PolicyCommandOutput(stderr: "\(r.file): error: cannot read the file: \(error)\n", exitCode: PolicyExitCode.unreadable)
        }
        let loaded = PolicyLoader.load(bytes: bytes, file: r.file, format: r.format)
        for d in loaded.diagnostics { out.stderr += d.description + "\n" }
        guard let policy = loaded.policy else {
            out.exitCode = PolicyExitCode.invalid
            out.stderr += "\(r.file): invalid; fix the errors above (gatehouse policy check \(r.file))\n"
            return out
        }

        // A fresh in-memory store: repeated calls see each other's charges, nothing else.
        let engine = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
        let call = CallContext(tool: r.tool, arguments: arguments, grant: r.grant, session: r.session)
        var decisions: [(at: Double, decision: Decision)] = []
        for i in 0..<r.calls {
            let offset = Double(i) * r.interval
            let d = engine.decide(call, now: now + offset)
            // Treat allowed calls as answered by the upstream, so they keep counting.
            if let reservation = d.reservation { try? engine.counters.commit(reservation) }
            decisions.append((offset, d))
        }
        let usage = counterUsage(engine, decisions.map(\.decision), now: now + Double(r.calls - 1) * r.interval)
        if json {
            out.stdout = JSONWriter.pretty(report(r, arguments: arguments, decisions: decisions, usage: usage)) + "\n"
        } else {
            out.stdout = text(r, arguments: arguments, decisions: decisions, usage: usage)
        }
        return out
    }

    // MARK: - Text

    static func text(_ r: Request, arguments: JSONValue, decisions: [(at: Double, decision: Decision)], usage: [CounterUsage]) -> String {
        var s = "call: \(r.tool) \(JSONWriter.string(arguments)) (grant \"\(r.grant)\", session \"\(r.session)\")\n"
        if decisions.count == 1 {
            s += "\n" + block(decisions[0].decision)
        } else {
            // Every call gets a line; the full trace is shown for the first call and whenever the outcome changes.
            var previous: String?
            for (i, (at, d)) in decisions.enumerated() {
                let kind = d.verdict.kind
                s += "\ncall \(i + 1) at +\(DurationText.format(at)): \(headline(d))"
                if kind != previous {
                    s += "\n" + block(d, headlineShown: true)
                }
                previous = kind
            }
            s += "\n\nsummary: " + summary(decisions.map(\.decision)) + "\n"
        }
        if !usage.isEmpty {
            s += "\ncounters after \(PolicyCheck.plural(decisions.count, "call")):\n"
            for u in usage {
                s += "  \(u.key): \(formatAmount(u.used))/\(u.max) per \(Limit.describe(window: u.window))\n"
            }
        }
        return s
    }

    /// One line: `allow`, `deny: reason`, `rate_limited: message`, `hold: ...`.
    static func headline(_ d: Decision) -> String {
        switch d.verdict {
        case .allow: "allow"
        case .deny(let reason, _): "deny: \(reason)"
        case .rateLimited: "rate_limited: \(d.message ?? "")"
        case .hold(let a): "hold: waits up to \(DurationText.format(a.timeout)) for an operator, then \(a.onTimeout.rawValue)"
        }
    }

    static func block(_ d: Decision, headlineShown: Bool = false) -> String {
        var s = headlineShown ? "" : "decision: \(headline(d))\n"
        s += "rule: \(d.rule)\n"
        s += "trace:\n"
        let width = String(d.trace.count).count
        for (i, step) in d.trace.enumerated() {
            let n = String(i + 1)
            s += "  " + String(repeating: " ", count: width - n.count) + "\(n). \(step)\n"
        }
        return s
    }

    static func summary(_ decisions: [Decision]) -> String {
        var counts: [(String, Int)] = []
        for d in decisions {
            if let i = counts.firstIndex(where: { $0.0 == d.verdict.kind }) { counts[i].1 += 1 } else { counts.append((d.verdict.kind, 1)) }
        }
        return counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
    }

    static func counterUsage(_ engine: PolicyEngine, _ decisions: [Decision], now: Double) -> [CounterUsage] {
        var seen = Set<CounterKey>()
        var out: [CounterUsage] = []
        for d in decisions {
            for c in d.charges where seen.insert(c.key).inserted {
                if let u = try? engine.counters.usage(c.key, window: c.window, max: c.max, now: now) { out.append(u) }
            }
        }
        return out
    }

    static func formatAmount(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    // MARK: - JSON

    static func report(_ r: Request, arguments: JSONValue, decisions: [(at: Double, decision: Decision)], usage: [CounterUsage]) -> JSONValue {
        [
            "file": .string(r.file), "tool": .string(r.tool), "arguments": arguments,
            "grant": .string(r.grant), "session": .string(r.session),
            "decisions": .array(decisions.enumerated().map { i, e in decisionJSON(e.decision, call: i + 1, at: e.at) }),
            "counters": .array(usage.map { u in
                ["counter": .string(u.key.counter), "scope": .string(u.key.scope.rawValue), "subject": .string(u.key.subject),
                 "used": .number(JSONNumber(u.used)), "max": .number(u.max), "window": .number(JSONNumber(u.window))]
            }),
        ]
    }

    static func decisionJSON(_ d: Decision, call: Int, at: Double) -> JSONValue {
        var o = JSONObject()
        o["call"] = .number(call)
        o["at"] = .number(JSONNumber(at))
        o["decision"] = .string(d.verdict.kind)
        o["rule"] = .string(d.rule)
        switch d.verdict {
        case .allow: break
        case .deny(let reason, _): o["reason"] = .string(reason)
        case .rateLimited(let b):
            o["reason"] = d.message.map(JSONValue.string) ?? .null
            o["counter"] = .string(b.charge.key.description)
            o["used"] = .number(JSONNumber(b.used))
            o["max"] = .number(b.charge.max)
            o["retry_after"] = b.retryAfter.map { .number(JSONNumber($0)) } ?? .null
        case .hold(let a):
            o["approval"] = ["timeout": .number(JSONNumber(a.timeout)), "on_timeout": .string(a.onTimeout.rawValue)]
        }
        o["trace"] = .array(d.trace.map { ["check": .string($0.check), "result": .string($0.result)] })
        return .object(o)
    }
}
