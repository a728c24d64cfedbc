import GatehouseCore

/// Builds the MCP-side JSON-RPC messages the gateway writes itself.
enum JSONRPC {
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let internalError = -32603

    /// Ids are matched by their JSON text, so `1` and `"1"` stay different requests.
    static func key(_ id: JSONValue) -> String {
        // A number is written as its literal: the key without serialising (most ids are numbers).
        if case .number(let n) = id { return n.literal }
        return JSONWriter.string(id)
    }

    static func error(id: JSONValue, code: Int, message: String, data: JSONValue? = nil) -> [UInt8] {
        var err = JSONObject()
        err["code"] = .number(code)
        err["message"] = .string(message)
        if let data { err["data"] = data }
        return JSONWriter.bytes(["jsonrpc": "2.0", "id": id, "error": .object(err)])
    }

    static func result(id: JSONValue, _ result: JSONValue) -> [UInt8] {
        JSONWriter.bytes(["jsonrpc": "2.0", "id": id, "result": result])
    }

    /// A refused call answers as a tool error, not a protocol error, so the model reads why and adapts.
    /// `modern`: the request used the 2026-07-28 per-request envelope, whose results must say `resultType`.
    static func toolRefusal(id: JSONValue, text: String, decision: String, callID: String, rule: String, modern: Bool) -> [UInt8] {
        let base: JSONValue = [
            "content": [["type": "text", "text": .string(text)]],
            "isError": true,
            "_meta": ["gatehouse/decision": .string(decision), "gatehouse/callId": .string(callID), "gatehouse/rule": .string(rule)],
        ]
        var r = base.objectValue ?? JSONObject()
        if modern { r["resultType"] = "complete" }
        return result(id: id, .object(r))
    }

    /// The 2026-07-28 envelope carries the protocol version in every request's `_meta`.
    static let protocolVersionKey = "io.modelcontextprotocol/protocolVersion"
    static let subscriptionIDKey = "io.modelcontextprotocol/subscriptionId"

    static func isModern(_ params: JSONValue?) -> Bool {
        params?["_meta"]?[protocolVersionKey] != nil
    }

    static func notification(_ method: String, _ params: JSONValue) -> [UInt8] {
        JSONWriter.bytes(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }
}
