import Foundation
import GatehouseCore
import GatehouseTesting
import Testing
@testable import GatehouseGateway

/// No damaged policy loads as more permissive than the one it was damaged from.
///
/// Valid policies (the shipped examples and the test policy, JSON and YAML) are damaged by one
/// random mutation at a time: a schema key misspelled, a value's JSON type changed (wrapped in an
/// array or object, replaced by null or a boolean, a number quoted), one structural character
/// deleted, or the text cut short. The oracle: the loader either rejects the result with an error
/// diagnostic, or the policy it loads is nowhere more permissive than the original on a fixed set
/// of probe calls, each made three times in a row with counters carried over. "More permissive" is
/// a higher rank at any step (deny / rate-limited < hold with on_timeout deny < hold with
/// on_timeout allow < allow), or a tool hidden by the original but visible in the mutant.
///
/// One exception, by necessity: YAML cut short at a line boundary is a valid, shorter policy (it
/// may have lost deny rules or hidden tools), indistinguishable from a whole file. Truncated JSON
/// must always be rejected; truncated YAML that loads is counted but not judged, and the policy
/// watcher defends against it by reloading only a file that has stopped changing.
@Suite struct HostilePolicyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let yamlStandard = """
        version: "1"
        default: deny
        hide: [secret_*]
        approval: {timeout: 10m, on_timeout: deny}
        all_tools:
          deny_if:
            - {path: args.path, op: contains, value: ".."}
        tools:
          get_time: {action: allow}
          limited: {rate_limit: 2/minute}
          spend:
            limits:
              - {counter: budget, window: hour, max: 100, increment_from: args.amount}
            deny_if:
              - {path: args.amount, op: gt, value: 50}
          transfer:
            action: require_approval
            approval: {timeout: 1m, on_timeout: deny}
          guarded:
            require:
              - {path: args.account, op: in, value: [a1, a2]}
          delete_everything: {action: deny, reason: never}
        """

    static func sources() throws -> [(name: String, text: String, format: PolicyLoader.Format)] {
        var out: [(String, String, PolicyLoader.Format)] = [
            ("standard.json", Policies.standard, .json), ("standard.yaml", yamlStandard, .yaml),
        ]
        for f in ["coding-agent.yaml", "trading-desk.json", "policylayer-seed.json"] {
            let text = try String(contentsOf: root.appendingPathComponent("examples/\(f)"), encoding: .utf8)
            out.append((f, text, PolicyLoader.format(forFile: f)))
        }
        return out
    }

    // MARK: - Mutations

    static let schemaKeys: Set<String> = Set(PolicyLoader.Keys.top + PolicyLoader.Keys.tool + PolicyLoader.Keys.allTools
        + PolicyLoader.Keys.limit + PolicyLoader.Keys.rateLimit + PolicyLoader.Keys.condition + PolicyLoader.Keys.approval)

    enum Mutation: String, CaseIterable { case misspellKey, changeType, deleteStructure, truncate }

    /// Ranges of schema keys in the text (JSON `"key":`, YAML `key:`).
    static func keyRanges(_ t: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < t.count {
            let c = t[i]
            let isStart = c == UInt8(ascii: "_") || (c >= 97 && c <= 122) || c == UInt8(ascii: "$")
            let boundary = i == 0 || !(t[i - 1].isIdentByte)
            if isStart && boundary {
                var j = i
                while j < t.count, t[j].isIdentByte { j += 1 }
                var k = j
                if k < t.count, t[k] == UInt8(ascii: "\"") { k += 1 }
                if k < t.count, t[k] == UInt8(ascii: ":"), schemaKeys.contains(String(decoding: t[i..<j], as: UTF8.self)) {
                    out.append(i..<j)
                }
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// Ranges of scalar values after a `:` (or a list item): strings, numbers, words.
    static func valueRanges(_ t: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for (i, c) in t.enumerated() where c == UInt8(ascii: ":") {
            var s = i + 1
            while s < t.count, t[s] == 0x20 { s += 1 }
            guard s < t.count else { continue }
            var e = s
            if t[s] == UInt8(ascii: "\"") || t[s] == UInt8(ascii: "'") {
                let q = t[s]
                e = s + 1
                while e < t.count, t[e] != q, t[e] != 0x0A { e += (t[e] == UInt8(ascii: "\\") ? 2 : 1) }
                if e < t.count, t[e] == q { e += 1 } else { continue }
            } else if t[s] == UInt8(ascii: "{") || t[s] == UInt8(ascii: "[") || t[s] == 0x0A {
                continue
            } else {
                while e < t.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x0A, UInt8(ascii: "#")].contains(t[e]) { e += 1 }
                while e > s, t[e - 1] == 0x20 { e -= 1 }
            }
            if e > s { out.append(s..<e) }
        }
        return out
    }

    static func mutate(_ text: String, _ kind: Mutation, _ rng: inout SplitMix64) -> String? {
        var t = Array(text.utf8)
        switch kind {
        case .misspellKey:
            let keys = keyRanges(t)
            guard let r = keys.randomElement(using: &rng) else { return nil }
            var key = Array(t[r])
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: key.remove(at: Int.random(in: 0..<key.count, using: &rng))
            case 1 where key.count > 1:
                let i = Int.random(in: 0..<(key.count - 1), using: &rng)
                key.swapAt(i, i + 1)
            case 2: key.insert(key[Int.random(in: 0..<key.count, using: &rng)], at: Int.random(in: 0..<key.count, using: &rng))
            default: key[0] = key[0] >= 97 && key[0] <= 122 ? key[0] - 32 : key[0]
            }
            if key == Array(t[r]) { return nil }
            t.replaceSubrange(r, with: key)
        case .changeType:
            guard let r = valueRanges(t).randomElement(using: &rng) else { return nil }
            let v = String(decoding: t[r], as: UTF8.self)
            let isNumber = Double(v) != nil
            let options = ["[\(v)]", "{\"x\": \(v)}", "null", "true", "false"] + (isNumber ? ["\"\(v)\""] : [])
            t.replaceSubrange(r, with: Array(options.randomElement(using: &rng)!.utf8))
        case .deleteStructure:
            // Structure only: characters inside quoted strings are values, not structure (deleting
            // the `-` of 'rm -rf' writes another valid policy); the quotes themselves count.
            var structural: [Int] = []
            var quote: UInt8? = nil
            for (i, c) in t.enumerated() {
                if let q = quote {
                    if c == q { quote = nil; structural.append(i) }
                    continue
                }
                if c == UInt8(ascii: "\"") || (c == UInt8(ascii: "'") && i > 0 && [0x20, UInt8(ascii: "[")].contains(t[i - 1])) {
                    quote = c
                    structural.append(i)
                } else if [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"),
                            UInt8(ascii: ","), UInt8(ascii: "-")].contains(c) {
                    structural.append(i)
                }
            }
            guard let i = structural.randomElement(using: &rng) else { return nil }
            t.remove(at: i)
        case .truncate:
            guard t.count > 2 else { return nil }
            t.removeSubrange(Int.random(in: 1..<(t.count - 1), using: &rng)...)
        }
        let out = String(decoding: t, as: UTF8.self)
        return out == text ? nil : out
    }

    // MARK: - The oracle

    static func rank(_ v: Decision.Verdict) -> Int {
        switch v {
        case .deny, .rateLimited: 0
        case .hold(let s): s.onTimeout == .deny ? 1 : 2
        case .allow: 3
        }
    }

    struct Probe { var tool: String; var arguments: JSONValue }

    /// Tool names from the policy (globs made concrete) and argument sets from its conditions.
    static func probes(for policy: Policy, text: String) -> [Probe] {
        var tools = Set(policy.tools.map { $0.pattern.text.replacingOccurrences(of: "*", with: "x") })
        tools.formUnion(policy.hide.map { $0.text.replacingOccurrences(of: "*", with: "x") })
        tools.formUnion(["unlisted_tool", "get_time", "transfer"])
        var fields: Set<String> = ["path", "amount", "account", "symbol", "qty", "to"]
        var values: [JSONValue] = [0, 1, 49, 51, 99, 101, 1_000_000, -1, "", "..", "/workspace/a", "/etc/passwd", "a1", "a3", "x",
                                   true, .null, [1], ["a": 1]]
        // Every scalar in the policy text is a candidate value, and every args.X a field.
        if let doc = try? YAMLReader.parse(text).value {
            func walk(_ v: JSONValue) {
                switch v {
                case .string(let s):
                    if s.hasPrefix("args.") { fields.insert(String(s.dropFirst(5)).components(separatedBy: ".")[0]) }
                    values.append(v)
                case .number: values.append(v)
                case .array(let a): a.forEach(walk)
                case .object(let o): o.forEach { walk($0.value) }
                default: break
                }
            }
            walk(doc)
        }
        var out: [Probe] = []
        for tool in tools.sorted() {
            out.append(Probe(tool: tool, arguments: [:]))
            for f in fields.sorted() {
                for v in values { out.append(Probe(tool: tool, arguments: .object(JSONObject([(f, v)])))) }
            }
        }
        return out
    }

    /// Ranks of each probe made three times in a row, counters carried over, and hidden tools.
    static func behaviour(_ policy: Policy, _ probes: [Probe]) -> (ranks: [[Int]], hidden: [Bool]) {
        var ranks: [[Int]] = []
        var hidden: [Bool] = []
        let now = 1_800_000_000.0
        for p in probes {
            let engine = PolicyEngine(policy: policy, counters: InMemoryCounterStore())
            let call = CallContext(tool: p.tool, arguments: p.arguments, grant: "g", session: "s")
            var steps: [Int] = []
            for _ in 0..<3 {
                let d = engine.decide(call, now: now)
                if let r = d.reservation { try? engine.counters.commit(r) }
                steps.append(rank(d.verdict))
            }
            ranks.append(steps)
            hidden.append(engine.status(of: p.tool, state: RuntimeState()).hidden)
        }
        return (ranks, hidden)
    }

    @Test func noSingleMutationOfAValidPolicyLoadsMorePermissive() throws {
        let perPolicy = Int(ProcessInfo.processInfo.environment["GATEHOUSE_POLICY_MUTATIONS"] ?? "") ?? 150
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["GATEHOUSE_POLICY_SEED"] ?? "") ?? 0x6761_7465)
        var tally: [String: Int] = [:]
        for source in try Self.sources() {
            let original = PolicyLoader.load(source.text, file: source.name, format: source.format)
            let policy = try #require(original.policy, "\(source.name) must load: \(original.errors)")
            let probes = Self.probes(for: policy, text: source.text)
            let base = Self.behaviour(policy, probes)
            var done = 0
            while done < perPolicy {
                let kind = Mutation.allCases.randomElement(using: &rng)!
                guard let text = Self.mutate(source.text, kind, &rng) else { continue }
                done += 1
                let r = PolicyLoader.load(text, file: source.name, format: source.format)
                guard let mutant = r.policy else {
                    #expect(!r.errors.isEmpty, "\(source.name): rejected without an error")
                    tally["rejected", default: 0] += 1
                    continue
                }
                if kind == .truncate {
                    // JSON cannot survive being cut short; YAML cut at a line boundary is a valid,
                    // shorter policy the loader cannot tell from a whole one (see PolicyWatcher,
                    // which waits for a changed file to settle before reloading it).
                    #expect(source.format == .yaml, "\(source.name): a truncated JSON policy loaded:\n\(text)")
                    tally["loaded (truncated YAML, not judged)", default: 0] += 1
                    continue
                }
                tally["loaded (\(kind.rawValue))", default: 0] += 1
                let got = Self.behaviour(mutant, probes)
                for (i, p) in probes.enumerated() {
                    let looser = zip(got.ranks[i], base.ranks[i]).contains { $0 > $1 } || (base.hidden[i] && !got.hidden[i])
                    if looser {
                        Issue.record("""
                            \(source.name): a \(kind.rawValue) mutation loads and is more permissive for \(p.tool) \(p.arguments): \
                            \(base.ranks[i]) -> \(got.ranks[i]), hidden \(base.hidden[i]) -> \(got.hidden[i])
                            --- mutant ---
                            \(text)
                            """)
                        break
                    }
                }
            }
        }
        print("policy mutations: \(tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }
}

private extension UInt8 {
    var isIdentByte: Bool { self == 0x5F || self == 0x24 || (self >= 97 && self <= 122) || (self >= 65 && self <= 90) || (self >= 48 && self <= 57) }
}
