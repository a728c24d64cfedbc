import Foundation
import GatehouseCore

/// Builders and readers for the MCP JSON-RPC messages tests send and check.
enum Msg {
    static func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) -> JSONValue {
        var o: JSONObject = JSONObject([("jsonrpc", "2.0"), ("id", id), ("method", .string(method))])
        if let params { o["params"] = params }
        return .object(o)
    }

    static func notification(_ method: String, _ params: JSONValue? = nil) -> JSONValue {
        var o: JSONObject = JSONObject([("jsonrpc", "2.0"), ("method", .string(method))])
        if let params { o["params"] = params }
        return .object(o)
    }

    static func call(_ id: JSONValue, _ tool: String, _ arguments: JSONValue = [:], progressToken: JSONValue? = nil) -> JSONValue {
        var params: JSONObject = JSONObject([("name", .string(tool)), ("arguments", arguments)])
        if let progressToken { params["_meta"] = ["progressToken": progressToken] }
        return request(id, "tools/call", .object(params))
    }

    static func result(_ id: JSONValue, _ result: JSONValue) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "result": result]
    }

    static func textResult(_ id: JSONValue, _ text: String, isError: Bool = false) -> JSONValue {
        result(id, ["content": [["type": "text", "text": .string(text)]], "isError": .bool(isError)])
    }

    static func error(_ id: JSONValue, code: Int, _ message: String) -> JSONValue {
        ["jsonrpc": "2.0", "id": id, "error": ["code": .number(code), "message": .string(message)]]
    }

    static func toolList(_ id: JSONValue, _ names: [String], nextCursor: String? = nil) -> JSONValue {
        var result: JSONObject = JSONObject([("tools", .array(names.map { ["name": .string($0), "description": .string("The \($0) tool."),
                                                                           "inputSchema": ["type": "object"]] }))])
        if let nextCursor { result["nextCursor"] = .string(nextCursor) }
        return self.result(id, .object(result))
    }

    static func parse(_ text: String) -> JSONValue { (try? JSONParser.parse(text)) ?? .null }
}

extension JSONValue {
    /// The text of a tool result's first content item.
    var resultText: String? { self["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue }
    var isToolError: Bool { self["result"]?["isError"]?.boolValue == true }
    var errorCode: Int? { self["error"]?["code"]?.intValue }
    var errorMessage: String? { self["error"]?["message"]?.stringValue }
    /// The gateway's call id in a refusal's `_meta`.
    var gatehouseCallID: String? { self["result"]?["_meta"]?["gatehouse/callId"]?.stringValue }
    var gatehouseDecision: String? { self["result"]?["_meta"]?["gatehouse/decision"]?.stringValue }
    var toolNames: [String] { self["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [] }
}
