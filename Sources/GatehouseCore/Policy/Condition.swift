import Foundation

/// A test on one value of a call: `{"path": "args.amount", "op": "gt", "value": 1000}`.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case eq, neq, `in`, notIn = "not_in", lt, lte, gt, gte, regex, contains, exists
    }

    public let path: ValuePath
    public let op: Op
    public let value: JSONValue
    let pattern: CompiledPattern?

    public init(path: ValuePath, op: Op, value: JSONValue) throws {
        self.path = path
        self.op = op
        self.value = value
        if op == .regex, case .string(let p) = value {
            self.pattern = try CompiledPattern(p)
        } else {
            self.pattern = nil
        }
    }

    public var description: String { "\(path) \(op.rawValue) \(value)" }

    /// The outcome of testing one call.
    public enum Outcome: Sendable, Equatable {
        case holds
        case fails
        /// The value is there but cannot be tested as asked (a string where a number is needed).
        /// Callers treat this as the outcome that denies: fail closed.
        case indeterminate(String)
    }

    public func evaluate(_ call: CallContext) -> Outcome {
        let actual = path.resolve(in: call)
        guard let actual else {
            switch op {
            case .neq, .notIn: return .holds
            case .exists: return value.boolValue == false ? .holds : .fails
            default: return .fails
            }
        }
        switch op {
        case .exists:
            return value.boolValue == false ? .fails : .holds
        case .eq:
            return Self.equal(actual, value) ? .holds : .fails
        case .neq:
            return Self.equal(actual, value) ? .fails : .holds
        case .in:
            return (value.arrayValue ?? []).contains { Self.equal(actual, $0) } ? .holds : .fails
        case .notIn:
            return (value.arrayValue ?? []).contains { Self.equal(actual, $0) } ? .fails : .holds
        case .lt, .lte, .gt, .gte:
            guard let a = Self.exactNumber(actual) else {
                if case .string(let s) = actual {
                    return .indeterminate("\(path) is the string \(JSONValue.string(s)), which is not a plain decimal number")
                }
                return .indeterminate("\(path) is \(actual.typeName), not a number")
            }
            // The loader only accepts a number here; anything else cannot be compared, so fail closed.
            guard let b = Self.exactNumber(value), case .number = value else {
                return .indeterminate("the policy's value \(value) is not a number")
            }
            switch op {
            case .lt: return a < b ? .holds : .fails
            case .lte: return a <= b ? .holds : .fails
            case .gt: return a > b ? .holds : .fails
            default: return a >= b ? .holds : .fails
            }
        case .regex:
            guard case .string(let s) = actual else {
                return .indeterminate("\(path) is \(actual.typeName), not a string")
            }
            return pattern?.matches(s) == true ? .holds : .fails
        case .contains:
            switch actual {
            case .string(let s):
                guard case .string(let needle) = value else { return .indeterminate("\(path) is a string; the value to look for is not") }
                return s.contains(needle) ? .holds : .fails
            case .array(let a):
                return a.contains { Self.equal($0, value) } ? .holds : .fails
            case .object(let o):
                guard case .string(let key) = value else { return .indeterminate("\(path) is an object; the value to look for is not a key") }
                return o[key] != nil ? .holds : .fails
            default:
                return .indeterminate("\(path) is \(actual.typeName); contains needs a string, array or object")
            }
        }
    }

    /// A number, or a string that spells one: agents often send `"1000"` for `1000`.
    ///
    /// Only JSON's own number grammar counts (surrounding spaces allowed): `"0x10"`, `"1_000"`,
    /// `"+5"`, `".5"`, `"Infinity"` and `"NaN"` are not numbers, because an upstream may read them
    /// differently from us. Nil also for numbers too large for a finite `Double`.
    public static func numeric(_ v: JSONValue) -> Double? {
        guard exactNumber(v) != nil else { return nil }
        let d: Double? = switch v {
        case .number(let n): n.doubleValue
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
        guard let d, d.isFinite else { return nil }
        return d
    }

    /// The exact value of a number or of a string in number grammar (see `numeric`).
    static func exactNumber(_ v: JSONValue) -> ExactDecimal? {
        switch v {
        case .number(let n): return n.exact
        case .string(let s): return ExactDecimal(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// JSON equality, with a number equal to a string that spells the same number. Exact: no rounding.
    public static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if a == b { return true }
        switch (a, b) {
        case (.number, .string), (.string, .number):
            guard let x = exactNumber(a), let y = exactNumber(b) else { return false }
            return x == y
        default:
            return false
        }
    }
}

/// A regular expression compiled once at load time. NSRegularExpression is immutable and
/// documented thread-safe, which is what makes the unchecked conformance sound.
struct CompiledPattern: @unchecked Sendable, Hashable {
    let source: String
    let regex: NSRegularExpression

    init(_ source: String) throws {
        self.source = source
        self.regex = try NSRegularExpression(pattern: source)
    }

    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    static func == (a: CompiledPattern, b: CompiledPattern) -> Bool { a.source == b.source }
    func hash(into h: inout Hasher) { h.combine(source) }
}
