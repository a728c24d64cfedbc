import Foundation
import GatehouseCore

/// Rewrites an MCP client's configuration so every local (stdio) server starts through Gatehouse.
/// Reads `mcpServers` (Claude Desktop, Cursor, Claude Code) and `servers` (VS Code). Everything
/// else in the file, and in each entry (env, cwd, type...), is kept as it was, in the same order.
/// Wrapping is idempotent: entries that already run `gatehouse serve` are left alone.
struct ConfigWrapper {
    static let serverKeys = ["mcpServers", "servers"]

    /// The gatehouse binary written into the entries.
    var gatehouse: String
    /// The policy for a server, by its name.
    var policy: (String) -> String

    struct Note: Equatable, CustomStringConvertible {
        enum Kind: String { case wrapped, alreadyWrapped = "already wrapped", remote = "left alone", skipped }
        var server: String
        var kind: Kind
        var detail: String
        var description: String { "\(server): \(kind.rawValue) — \(detail)" }
    }

    struct Outcome {
        var config: JSONValue
        var notes: [Note]
        var changed: Bool { notes.contains { $0.kind == .wrapped } }
        /// The rewritten file's text.
        var text: String { JSONWriter.pretty(config) + "\n" }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func wrap(_ config: JSONValue) throws(Failure) -> Outcome {
        guard var root = config.objectValue else { throw Failure(description: "the file is not a JSON object") }
        let present = Self.serverKeys.filter { root[$0] != nil }
        guard !present.isEmpty else {
            throw Failure(description: "found no \"mcpServers\" or \"servers\" object; is this an MCP client's configuration?")
        }
        var notes: [Note] = []
        for key in present {
            guard var servers = root[key]?.objectValue else {
                throw Failure(description: "\"\(key)\" is \(root[key]!.typeName), not an object of servers")
            }
            for (name, value) in servers {
                let (entry, note) = wrapEntry(name: name, value)
                notes.append(note)
                if let entry { servers[name] = entry }
            }
            root[key] = .object(servers)
        }
        return Outcome(config: .object(root), notes: notes)
    }

    /// The rewritten entry (nil when it stays as it is) and what was done.
    func wrapEntry(name: String, _ value: JSONValue) -> (JSONValue?, Note) {
        guard var entry = value.objectValue else {
            return (nil, Note(server: name, kind: .skipped, detail: "not an object"))
        }
        let type = entry["type"]?.stringValue
        if entry["url"] != nil || entry["serverUrl"] != nil || (type != nil && type != "stdio") {
            return (nil, Note(server: name, kind: .remote,
                              detail: "a remote (\(type ?? "url")) server; Gatehouse wraps local stdio servers, so it is left as it is"))
        }
        guard let command = entry["command"]?.stringValue, !command.isEmpty else {
            return (nil, Note(server: name, kind: .skipped, detail: "no \"command\" to wrap"))
        }
        var args: [String] = []
        if let a = entry["args"] {
            let strings = a.arrayValue?.compactMap(\.stringValue)
            guard let strings, strings.count == a.arrayValue?.count else {
                return (nil, Note(server: name, kind: .skipped, detail: "\"args\" is not a list of strings"))
            }
            args = strings
        }
        if GatewayWrapping.isWrapped(command: command, args: args, gatehouse: gatehouse) {
            return (nil, Note(server: name, kind: .alreadyWrapped, detail: "already runs gatehouse serve"))
        }
        let policy = policy(name)
        entry["command"] = .string(gatehouse)
        entry["args"] = .array(GatewayWrapping.arguments(policy: policy, name: name, server: [command] + args).map(JSONValue.string))
        return (.object(entry), Note(server: name, kind: .wrapped, detail: "now runs through gatehouse with \(policy)"))
    }
}
