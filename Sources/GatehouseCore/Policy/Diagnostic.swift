/// One finding about a policy file, precise enough to fix without guessing.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var message: String
    /// Where in the document; `(top level)` for the document itself.
    public var path: JSONPath
    public var file: String?
    public var location: SourceLocation?
    /// What would have been accepted, e.g. `one of: allow, deny, require_approval`.
    public var expected: String?
    /// A likely intended spelling.
    public var suggestion: String?

    public init(
        _ severity: Severity, _ message: String, path: JSONPath, file: String? = nil, location: SourceLocation? = nil,
        expected: String? = nil, suggestion: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.path = path
        self.file = file
        self.location = location
        self.expected = expected
        self.suggestion = suggestion
    }

    /// `policy.json:12:9: error: tools.Foo: unknown key "limts" (did you mean "limits"?)`
    public var description: String {
        var head = file ?? "<policy>"
        if let location { head += ":\(location.line):\(location.column)" }
        var text = "\(head): \(severity.rawValue): "
        if !path.components.isEmpty { text += "\(path): " }
        text += message
        if let suggestion { text += " (did you mean \"\(suggestion)\"?)" }
        if let expected { text += "; expected \(expected)" }
        return text
    }

    /// Machine-readable form for `policy check --json`.
    public var json: JSONValue {
        var o = JSONObject()
        o["severity"] = .string(severity.rawValue)
        o["message"] = .string(message)
        o["path"] = .string(path.components.isEmpty ? "" : path.description)
        o["file"] = file.map(JSONValue.string) ?? .null
        o["line"] = location.map { .number($0.line) } ?? .null
        o["column"] = location.map { .number($0.column) } ?? .null
        o["expected"] = expected.map(JSONValue.string) ?? .null
        o["suggestion"] = suggestion.map(JSONValue.string) ?? .null
        return .object(o)
    }
}
