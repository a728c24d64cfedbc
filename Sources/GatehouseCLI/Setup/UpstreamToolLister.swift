import Foundation
import GatehouseCore
import GatehouseTransport

/// Starts an MCP server, asks for its tools with plain JSON-RPC over its stdin/stdout
/// (initialize, notifications/initialized, tools/list page by page), and stops it again.
/// No SDK: this is the handshake every stdio server must answer, whatever it is written in.
struct UpstreamToolLister {
    static let protocolVersion = "2025-06-18"
    /// A server that keeps handing out cursors is cut off here.
    static let maxPages = 100

    var command: [String]
    /// Seconds the whole exchange may take (a first `uvx` or `npx` run may download the server).
    var timeout: Double = 30

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    func list() throws -> UpstreamCatalogue {
        guard let program = command.first else { throw Failure("no server command given") }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(program, arguments: Array(command.dropFirst()))
        } catch {
            throw Failure("cannot start \(program): \(error)")
        }
        // A server that never answers is stopped, which ends its output and the read below.
        let timedOut = Locked(false)
        let watchdog = DispatchWorkItem {
            timedOut.withLock { $0 = true }
            _ = child.terminate(grace: .seconds(1))
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer {
            watchdog.cancel()
            child.closeStdin()
            if child.waitForExit(timeout: .seconds(3)) == nil { _ = child.terminate(grace: .seconds(2)) }
        }
        do {
            return try converse(child)
        } catch let f as Failure {
            if timedOut.withLock({ $0 }) {
                throw Failure("\(program) did not answer within \(DurationText.format(timeout)) (raise --timeout if it is slow to start)")
            }
            if let status = child.waitForExit(timeout: .milliseconds(500)) { throw Failure("\(f.description); the server \(status)") }
            throw f
        }
    }

    private func converse(_ child: ChildProcess) throws -> UpstreamCatalogue {
        let session = Exchange(child: child)
        let initialized = try session.request(id: 1, "initialize", [
            "protocolVersion": .string(Self.protocolVersion),
            "capabilities": .object(JSONObject()),
            "clientInfo": ["name": "gatehouse-policy-init", "version": "1"],
        ])
        try session.notify("notifications/initialized")
        var catalogue = UpstreamCatalogue(
            serverName: initialized["serverInfo"]?["name"]?.stringValue,
            serverVersion: initialized["serverInfo"]?["version"]?.stringValue, tools: [])
        var cursor: JSONValue?
        var seenCursors: Set<String> = []
        var seenNames: Set<String> = []
        for page in 0..<Self.maxPages {
            var params = JSONObject()
            if let cursor { params["cursor"] = cursor }
            let result = try session.request(id: 2 + page, "tools/list", .object(params))
            guard let tools = result["tools"]?.arrayValue else { throw Failure("tools/list answered without a \"tools\" list") }
            for (i, t) in tools.enumerated() {
                guard let name = t["name"]?.stringValue, !name.isEmpty else {
                    catalogue.skipped.append("entry \(i) of page \(page + 1) has no name")
                    continue
                }
                guard seenNames.insert(name).inserted else {
                    catalogue.skipped.append("\(name) is listed twice; the first is used")
                    continue
                }
                let annotations = t["annotations"].flatMap { $0.objectValue != nil ? $0 : nil }
                catalogue.tools.append(UpstreamTool(name: name, description: t["description"]?.stringValue, annotations: annotations))
            }
            guard let next = result["nextCursor"], !next.isNull else { return catalogue }
            guard seenCursors.insert(JSONWriter.string(next)).inserted else {
                throw Failure("tools/list handed out the cursor \(next) twice")
            }
            cursor = next
        }
        throw Failure("tools/list still had more pages after \(Self.maxPages)")
    }

    /// One JSON-RPC conversation with the child: requests out, and reading until each one's answer,
    /// answering anything the server asks in between.
    private struct Exchange {
        let child: ChildProcess

        func request(id: Int, _ method: String, _ params: JSONValue) throws -> JSONValue {
            try send(["jsonrpc": "2.0", "id": .number(id), "method": .string(method), "params": params])
            while true {
                let message = try receive()
                if let m = message["method"]?.stringValue {
                    if let rid = message["id"] { try answer(rid, method: m) }
                    continue
                }
                guard message["id"]?.intValue == id else { continue }
                if let e = message["error"] {
                    throw Failure("the server refused \(method): \(e["message"]?.stringValue ?? JSONWriter.string(e))")
                }
                guard let result = message["result"] else { throw Failure("the answer to \(method) has neither result nor error") }
                return result
            }
        }

        func notify(_ method: String) throws {
            try send(["jsonrpc": "2.0", "method": .string(method)])
        }

        /// Servers may ping or ask for roots; a ping is answered, anything else politely declined.
        private func answer(_ id: JSONValue, method: String) throws {
            if method == "ping" {
                try send(["jsonrpc": "2.0", "id": id, "result": .object(JSONObject())])
            } else {
                try send(["jsonrpc": "2.0", "id": id,
                          "error": ["code": -32601, "message": .string("policy init does not support \(method)")]])
            }
        }

        private func send(_ message: JSONValue) throws {
            do { try child.stdin.writeLine(JSONWriter.bytes(message)) } catch {
                throw Failure("the server stopped reading its input (\(error))")
            }
        }

        private func receive() throws -> JSONValue {
            while true {
                let event: LineEvent?
                do { event = try child.stdout.next() } catch { throw Failure("reading from the server failed: \(error)") }
                switch event {
                case nil:
                    throw Failure("the server closed its output before answering")
                case .tooLong(let n)?:
                    throw Failure("the server sent a \(n)-byte line, more than the \(child.stdout.maxLineSize)-byte limit")
                case .line(let bytes)?:
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    // Some servers print banners on stdout; only JSON objects are messages.
                    guard let v = try? JSONParser.parse(bytes), v.objectValue != nil else { continue }
                    return v
                }
            }
        }
    }
}
