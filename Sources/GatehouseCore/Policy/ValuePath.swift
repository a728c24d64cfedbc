/// A path into a call, as conditions and `increment_from` write it: `args.order.amount`,
/// `args.legs[0].qty` (or `args.legs.0.qty`), `args["odd.key"]`, `tool`, `grant`, `session`.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    public enum Root: String, Sendable, Hashable, CaseIterable {
        case args, tool, grant, session
    }

    public let root: Root
    public let components: [JSONPath.Component]
    public let text: String

    public var description: String { text }

    public enum ParseError: Error, Equatable {
        case empty
        case unknownRoot(String)
        case malformed(String)
        case rootHasNoFields(String)
    }

    public init(parsing text: String) throws(ParseError) {
        self.text = text
        var parts: [JSONPath.Component] = []
        let chars = Array(text)
        var i = 0
        var current = ""
        func flush() { if !current.isEmpty { parts.append(.key(current)); current = "" } }
        while i < chars.count {
            let c = chars[i]
            if c == "." {
                if current.isEmpty, parts.isEmpty || chars[i - 1] == "." { throw .malformed("empty segment in \"\(text)\"") }
                flush()
                i += 1
            } else if c == "[" {
                flush()
                guard let close = chars[i...].firstIndex(of: "]") else { throw .malformed("unclosed '[' in \"\(text)\"") }
                let inner = String(chars[(i + 1)..<close])
                if let n = Int(inner), n >= 0 {
                    parts.append(.index(n))
                } else if inner.count >= 2, inner.first == "\"", inner.last == "\"" {
                    parts.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    throw .malformed("expected a number or a quoted key inside [] in \"\(text)\"")
                }
                i = close + 1
                // `args[0]x` is a typo, not `args[0].x`.
                if i < chars.count, chars[i] != ".", chars[i] != "[" {
                    throw .malformed("expected '.' or '[' after ']' in \"\(text)\"")
                }
            } else {
                current.append(c)
                i += 1
            }
        }
        if chars.last == "." { throw .malformed("\"\(text)\" ends with '.'") }
        flush()
        guard case .key(let first)? = parts.first else { throw .empty }
        guard let root = Root(rawValue: first) else { throw .unknownRoot(first) }
        self.root = root
        // `args.legs.0` means index 0 when the value there is an array; resolved at lookup.
        self.components = Array(parts.dropFirst())
        if root != .args, !components.isEmpty { throw .rootHasNoFields(first) }
    }

    /// The value at this path in a call, or nil when it is absent.
    public func resolve(in call: CallContext) -> JSONValue? {
        switch root {
        case .tool: return .string(call.tool)
        case .grant: return .string(call.grant)
        case .session: return .string(call.session)
        case .args:
            var v: JSONValue = call.arguments
            for c in components {
                switch (c, v) {
                case (.key(let k), .object(let o)):
                    guard let next = o[k] else { return nil }
                    v = next
                case (.key(let k), .array(let a)):
                    guard let n = Int(k), n >= 0, n < a.count else { return nil }
                    v = a[n]
                case (.index(let n), .array(let a)):
                    guard n < a.count else { return nil }
                    v = a[n]
                default:
                    return nil
                }
            }
            return v
        }
    }
}
