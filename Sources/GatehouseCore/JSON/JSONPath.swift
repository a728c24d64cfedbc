/// Where a value sits in a document: `tools["binance_*"].limits[0].max`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, Comparable {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }
    public var parent: JSONPath? { components.isEmpty ? nil : JSONPath(Array(components.dropLast())) }
    public var lastKey: String? { if case .key(let k) = components.last { k } else { nil } }

    public var description: String {
        if components.isEmpty { return "(top level)" }
        var out = ""
        for c in components {
            switch c {
            case .key(let k):
                if !k.isEmpty, k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                    if !out.isEmpty { out += "." }
                    out += k
                } else {
                    out += "[\"\(k.replacingOccurrences(of: "\"", with: "\\\""))\"]"
                }
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }

    public static func < (a: JSONPath, b: JSONPath) -> Bool { a.description < b.description }
}

/// A position in a source file, 1-based, columns counted in characters.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// Where each key and value of a parsed document came from, so errors can point at them.
public struct SourceMap: Sendable {
    public var values: [JSONPath: SourceLocation] = [:]
    public var keys: [JSONPath: SourceLocation] = [:]
    public init() {}

    /// The best location for a path: its key, else its value, else the nearest ancestor's.
    public func location(of path: JSONPath, preferKey: Bool = false) -> SourceLocation? {
        var p: JSONPath? = path
        while let cur = p {
            if preferKey, let k = keys[cur] { return k }
            if let v = values[cur] { return v }
            if let k = keys[cur] { return k }
            p = cur.parent
        }
        return nil
    }
}
