import Foundation
import GatehouseCore

/// Encodes control-protocol messages as single JSON lines.
enum ControlWire {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }

    static func notification<P: Encodable>(_ method: ControlProtocol.Notification, params: P) -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","method":""#.utf8)
        out += Array(method.rawValue.utf8)
        out += Array(#"","params":"#.utf8)
        out += (try? encoder().encode(params)).map(Array.init) ?? Array("null".utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func result<R: Encodable>(id: JSONValue, _ result: R) -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
        out += JSONWriter.bytes(id)
        out += Array(#","result":"#.utf8)
        out += (try? encoder().encode(result)).map(Array.init) ?? Array("null".utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func error(id: JSONValue, _ code: ControlProtocol.ErrorCode, _ message: String, data: JSONValue? = nil) -> [UInt8] {
        var err = JSONObject()
        err["code"] = .number(code.rawValue)
        err["message"] = .string(message)
        if let data { err["data"] = data }
        return JSONWriter.bytes(["jsonrpc": "2.0", "id": id, "error": .object(err)])
    }
}
