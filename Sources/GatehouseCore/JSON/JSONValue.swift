/// A JSON document as the gateway sees it.
///
/// Numbers keep their literal text so that a value read from one peer and written to
/// another is not silently rounded (JSON-RPC ids and amounts can exceed a Double's precision).
/// Objects keep their key order so that a rewritten message reads like the original.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number, kept as its literal text.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    public let literal: String

    public init(literal: String) { self.literal = literal }
    public init(_ value: Int) { self.literal = String(value) }
    public init(_ value: Double) {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            self.literal = String(Int64(value))
        } else {
            self.literal = value.isFinite ? "\(value)" : "0"
        }
    }

    public var doubleValue: Double { Double(literal) ?? .nan }
    /// The value as an integer, if it is one exactly (`3`, `3.0`, `3e2`).
    public var intValue: Int? {
        if let i = Int(literal) { return i }
        let d = doubleValue
        guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { return nil }
        return Int(d)
    }
    public var description: String { literal }

    /// The exact decimal value; nil only for a literal that is not JSON number text.
    var exact: ExactDecimal? { ExactDecimal(literal) }

    // Equal when numerically equal: 1, 1.0 and 1e0 are the same number. Compared exactly,
    // not through Double, so 9007199254740993 is not 9007199254740992.
    public static func == (a: JSONNumber, b: JSONNumber) -> Bool {
        if a.literal == b.literal { return true }
        // A literal that is not number text (only `init(literal:)` can make one) equals only itself.
        guard let x = a.exact, let y = b.exact else { return false }
        return x == y
    }
    public func hash(into hasher: inout Hasher) {
        if let e = exact { hasher.combine(e) } else { hasher.combine(literal) }
    }
}

/// An ordered JSON object. Lookups are linear, which beats hashing for the small objects MCP uses.
public struct JSONObject: Sendable, Hashable, Sequence {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init() { entries = [] }
    public init(_ entries: [(String, JSONValue)]) {
        self.entries = []
        for (k, v) in entries { self[k] = v }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            for e in entries where e.key == key { return e.value }
            return nil
        }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// Appends without checking for an earlier entry of the same key (the parser's duplicate rule applies).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) { entries.append((key, value)) }

    mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { entries.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (k, v) in a.entries where b[k] != v { return false }
        return true
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for (k, _) in entries.sorted(by: { $0.key < $1.key }) { hasher.combine(k) }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }
    public var doubleValue: Double? { numberValue?.doubleValue }
    public var intValue: Int? { numberValue?.intValue }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var isNull: Bool { if case .null = self { true } else { false } }

    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The JSON type's name as users read it in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public static func number(_ i: Int) -> JSONValue { .number(JSONNumber(i)) }
    public static func number(_ d: Double) -> JSONValue { .number(JSONNumber(d)) }
}
