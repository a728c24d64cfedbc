import Yams

/// Reads YAML into the same `JSONValue` + `SourceMap` the JSON parser produces,
/// so one validator serves both formats.
public enum YAMLReader {
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var message: String
        public var location: SourceLocation?
        public var description: String { location.map { "\($0): \(message)" } ?? message }
    }

    public static func parse(_ text: String) throws(Error) -> (value: JSONValue, map: SourceMap) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw describe(e)
        } catch {
            throw Error(message: "\(error)", location: nil)
        }
        guard let node else { throw Error(message: "the document is empty", location: SourceLocation(line: 1, column: 1)) }
        var map = SourceMap()
        // Aliases are expanded, so a few lines can name billions of values ("billion laughs").
        // A document may expand to a bounded multiple of its own size, which no real policy nears.
        var budget = 1024 + 16 * text.utf8.count
        let value = try convert(node, path: .root, map: &map, depth: 0, budget: &budget)
        return (value, map)
    }

    private static func loc(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    private static func convert(_ node: Node, path: JSONPath, map: inout SourceMap, depth: Int, budget: inout Int) throws(Error) -> JSONValue {
        if depth > 256 { throw Error(message: "nesting is deeper than 256 levels", location: loc(node)) }
        budget -= 1
        if budget < 0 {
            throw Error(message: "the document expands to far more values than it spells out (aliases of aliases?)", location: loc(node))
        }
        if let l = loc(node) { map.values[path] = l }
        switch node {
        case .scalar(let s):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(s.string)
            case .int:
                if let i = node.int { return .number(i) }
                return .string(s.string)
            case .float:
                if let d = node.float, d.isFinite { return .number(JSONNumber(literal: "\(d)")) }
                return .string(s.string)
            default:
                // A plain (unquoted) value ending in a quote almost always lost its opening quote:
                // `value: ..'` reads as the three characters `..'`, and a deny_if that compared
                // against it would silently never match.
                if s.style == .plain, let last = s.string.last, last == "\"" || last == "'" {
                    throw Error(message: "\(s.string) ends with a quote that was never opened; quote the whole value or drop the quote",
                                location: loc(node))
                }
                return .string(s.string)
            }
        case .sequence(let seq):
            var out: [JSONValue] = []
            for (k, child) in seq.enumerated() {
                out.append(try convert(child, path: path.appending(k), map: &map, depth: depth + 1, budget: &budget))
            }
            return .array(out)
        case .mapping(let mapping):
            var obj = JSONObject()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let ks) = keyNode else {
                    throw Error(message: "mapping keys must be plain strings", location: loc(keyNode))
                }
                let key = ks.string
                if obj[key] != nil { throw Error(message: "duplicate key \"\(key)\"", location: loc(keyNode)) }
                let childPath = path.appending(key)
                if let l = loc(keyNode) { map.keys[childPath] = l }
                obj.appendUnchecked(key, try convert(valueNode, path: childPath, map: &map, depth: depth + 1, budget: &budget))
            }
            return .object(obj)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one would be a bug there.
            throw Error(message: "unresolved YAML alias", location: loc(node))
        }
    }

    private static func describe(_ e: YamlError) -> Error {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Error(message: problem, location: SourceLocation(line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first of the repeated keys; line 0 means it had no mark.
            let mark = context.mark
            return Error(message: "duplicate key \"\(duplicates.first ?? "?")\"",
                         location: mark.line > 0 ? SourceLocation(line: mark.line, column: mark.column) : nil)
        default:
            return Error(message: "\(e)", location: nil)
        }
    }
}
