import Foundation
import GatehouseCore
import GatehouseTransport
import Synchronization

/// A connection to one gateway's control socket, past the `hello` handshake.
/// `call` is synchronous (for `ctl`); `messages` is for a subscriber that reads the stream itself.
public final class ControlClient: Sendable {
    public let path: String
    public let hello: HelloResult
    let connection: UnixSocketConnection
    /// How long a request waits for its answer (and a write for the gateway to read it).
    let timeout: Duration
    private let nextID = Atomic<Int>(1)

    /// Connects and says hello. A gateway that accepts but does not answer (stopped, wedged) is
    /// given up on after `timeout`, as is any later `call`.
    public static func connect(path: String, clientName: String, timeout: Duration = .seconds(10)) throws -> ControlClient {
        let conn = try UnixSocketConnection.connect(path: path, writeTimeout: timeout, maxLineSize: 64 << 20)
        let hello: HelloResult
        do {
            hello = try Self.exchange(conn, id: 0, method: .hello, params: HelloParams(client: clientName), as: HelloResult.self,
                                      timeout: timeout)
        } catch {
            conn.close()
            throw error
        }
        return ControlClient(path: path, hello: hello, connection: conn, timeout: timeout)
    }

    private init(path: String, hello: HelloResult, connection: UnixSocketConnection, timeout: Duration) {
        self.path = path
        self.hello = hello
        self.connection = connection
        self.timeout = timeout
    }

    public var fileDescriptor: Int32 { connection.fileDescriptor }

    public func close() { connection.close() }

    /// Sends a request and waits for its answer, skipping any notifications in between.
    public func call<P: Encodable, R: Decodable>(_ method: ControlProtocol.Method, _ params: P, as: R.Type) throws -> R {
        let id = nextID.add(1, ordering: .relaxed).newValue
        return try Self.exchange(connection, id: id, method: method, params: params, as: R.self, timeout: timeout)
    }

    public func call<R: Decodable>(_ method: ControlProtocol.Method, as: R.Type) throws -> R {
        try call(method, EmptyParams(), as: R.self)
    }

    /// Sends a request without waiting; its answer arrives through `next()`.
    @discardableResult
    public func send<P: Encodable>(_ method: ControlProtocol.Method, _ params: P) throws -> Int {
        let id = nextID.add(1, ordering: .relaxed).newValue
        try connection.send(try ControlMessage.request(id: id, method: method, params: params))
        return id
    }

    /// The next message from the gateway, blocking; nil when the gateway closed the connection.
    public func next() throws -> ControlMessage? {
        while let event = try connection.reader.next() {
            switch event {
            case .tooLong(let n): throw ControlClientError.protocolViolation("the gateway sent a \(n)-byte message")
            case .line(let bytes): return try ControlMessage.decode(bytes)
            }
        }
        return nil
    }

    /// Every message already received, without blocking; nil when the connection is closed.
    public func available() throws -> [ControlMessage]? {
        guard let events = try connection.reader.readAvailable() else { return nil }
        return try events.compactMap { e in
            if case .line(let bytes) = e { return try ControlMessage.decode(bytes) }
            return nil
        }
    }

    static func exchange<P: Encodable, R: Decodable>(_ conn: UnixSocketConnection, id: Int, method: ControlProtocol.Method,
                                                     params: P, as: R.Type, timeout: Duration) throws -> R {
        do {
            try conn.send(try ControlMessage.request(id: id, method: method, params: params))
        } catch TransportError.brokenPipe {
            // The gateway hung up; it may have said why first, which beats "broken pipe".
            if let reason = try? Self.refusal(conn, timeout: timeout) { throw reason }
            throw TransportError.brokenPipe
        }
        while let event = try Self.next(conn, timeout: timeout) {
            guard case .line(let bytes) = event else { continue }
            guard case .response(let rid, let result) = try ControlMessage.decode(bytes) else { continue }
            if rid == .number(id) {
                switch result {
                case .success(let value): return try value.decode(R.self)
                case .failure(let e): throw e
                }
            }
            // An error the gateway could not tie to a request (e.g. "too many control
            // connections", sent just before it hangs up) is the answer too.
            if rid == .null, case .failure(let e) = result { throw e }
        }
        throw ControlClientError.closed
    }

    /// The next line, or `.timedOut` when the gateway has been silent for `timeout`.
    private static func next(_ conn: UnixSocketConnection, timeout: Duration) throws -> LineEvent? {
        do {
            return try conn.reader.next(timeout: timeout)
        } catch TransportError.readTimedOut {
            throw ControlClientError.timedOut(timeout)
        }
    }

    /// An error the gateway sent without a request id before closing the connection, if any.
    private static func refusal(_ conn: UnixSocketConnection, timeout: Duration) throws -> ControlClientError? {
        while let event = try Self.next(conn, timeout: timeout) {
            guard case .line(let bytes) = event,
                  case .response(.null, .failure(let e)) = try ControlMessage.decode(bytes) else { continue }
            return e
        }
        return nil
    }
}

public struct EmptyParams: Codable, Sendable {
    public init() {}
}

public enum ControlClientError: Error, Sendable, CustomStringConvertible, Equatable {
    case rpc(code: Int, message: String, data: [String])
    case closed
    case protocolViolation(String)
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .rpc(_, let message, let data): ([message] + data).joined(separator: "\n  ")
        case .closed: "the gateway closed the connection"
        case .timedOut(let d): "the gateway did not answer within \(d) (is it stopped or wedged?)"
        case .protocolViolation(let m): "protocol error: \(m)"
        }
    }

    public var code: Int? { if case .rpc(let c, _, _) = self { c } else { nil } }
}

/// One message from a gateway.
public enum ControlMessage: Sendable {
    case response(id: JSONValue, Result<RawResult, ControlClientError>)
    case event(ControlEvent)
    case resync(ResyncParams)

    /// A result kept as JSON until the caller says what it is.
    public struct RawResult: Sendable {
        public var json: JSONValue
        public func decode<R: Decodable>(_ type: R.Type) throws -> R {
            try JSONDecoder().decode(R.self, from: Data(JSONWriter.bytes(json)))
        }
    }

    static func request<P: Encodable>(id: Int, method: ControlProtocol.Method, params: P) throws -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","id":\#(id),"method":""#.utf8)
        out += Array(method.rawValue.utf8)
        out += Array(#"","params":"#.utf8)
        out += Array(try JSONEncoder().encode(params))
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> ControlMessage {
        let v: JSONValue
        do { v = try JSONParser.parse(bytes, options: .init(maxDepth: 512)) } catch {
            throw ControlClientError.protocolViolation("invalid JSON from the gateway: \(error.message)")
        }
        if case .string(let method)? = v["method"] {
            let params = v["params"] ?? .null
            let data = Data(JSONWriter.bytes(params))
            switch ControlProtocol.Notification(rawValue: method) {
            case .event: return .event(try JSONDecoder().decode(ControlEvent.self, from: data))
            case .resync: return .resync(try JSONDecoder().decode(ResyncParams.self, from: data))
            case nil: throw ControlClientError.protocolViolation("unknown notification \(method)")
            }
        }
        let id = v["id"] ?? .null
        if let err = v["error"] {
            let data = err["data"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return .response(id: id, .failure(.rpc(code: err["code"]?.intValue ?? 0,
                                                    message: err["message"]?.stringValue ?? "error", data: data)))
        }
        return .response(id: id, .success(RawResult(json: v["result"] ?? .null)))
    }
}
