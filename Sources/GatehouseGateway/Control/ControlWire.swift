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

    /// A `call` event (two per call, to every subscriber) written directly: the same JSON as
    /// `notification(.event, params:)` gives it, at a tenth of `JSONEncoder`'s cost, which had
    /// become what limited how many events per second ten subscribers could be sent. Nil for any
    /// other event, or one with a number JSON cannot hold (the encoder then decides).
    static func callEvent(_ e: ControlEvent) -> [UInt8]? {
        guard e.type == .call, let c = e.call, e.approval == nil, e.resolution == nil, e.counters == nil,
              e.tools == nil, e.killSwitch == nil, e.policy == nil, e.errors == nil, e.upstreamRunning == nil,
              e.message == nil, e.at.isFinite, c.receivedAt.isFinite, c.latencyMs?.isFinite ?? true
        else { return nil }
        let out = LineEncoder(capacity: 1024)
        out.raw(#"{"jsonrpc":"2.0","method":"event","params":{"seq":"#)
        out.raw(String(e.seq))
        out.raw(#","at":"#)
        out.number(e.at)
        out.raw(#","type":"call","call":{"id":"#)
        out.string(c.id)
        out.callFields(c, arguments: true)
        out.raw("}}}")
        return Array(out.bytes)
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
