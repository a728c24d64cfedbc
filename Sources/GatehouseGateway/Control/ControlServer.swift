import Foundation
import GatehouseCore
import GatehouseTransport
import Logging
import Synchronization

/// The control socket: JSON-RPC 2.0 over a Unix socket, one message per line, for the
/// dashboard and `gatehouse ctl`. Only the gateway's own user and root may connect.
public final class ControlServer: Sendable {
    public let path: String
    let enforcer: Enforcer
    let reload: @Sendable (String) -> Result<ReloadResult, LoadedPolicy.Failure>
    let log: Logger
    private let server = Mutex<UnixSocketServer?>(nil)
    private let connections = Atomic<Int>(0)
    public static let maxConnections = 256
    public static let maxMessageBytes = 1 << 20

    public init(path: String, enforcer: Enforcer, logger: Logger,
                reload: @escaping @Sendable (String) -> Result<ReloadResult, LoadedPolicy.Failure>) {
        self.path = path
        self.enforcer = enforcer
        self.reload = reload
        self.log = logger
    }

    public func start() throws {
        let log = self.log
        let s = try UnixSocketServer.listen(
            path: path, maxLineSize: Self.maxMessageBytes, writeTimeout: .seconds(5),
            authorize: { $0.isCurrentUserOrRoot },
            onRefused: { peer in log.warning("control socket: refused a connection from \(peer) (not the gateway's user)") },
            onError: { e in log.error("control socket: \(e)") },
            onConnection: { [weak self] conn in self?.serve(conn) })
        server.withLock { $0 = s }
    }

    public func stop() {
        server.withLock { s in
            s?.stop()
            s = nil
        }
    }

    private func serve(_ conn: UnixSocketConnection) {
        if connections.add(1, ordering: .relaxed).newValue > Self.maxConnections {
            connections.subtract(1, ordering: .relaxed)
            try? conn.send(ControlWire.error(id: .null, .internalError, "too many control connections (\(Self.maxConnections))"))
            conn.close()
            return
        }
        let operatorName = Transport.userName(uid: conn.peer.uid) ?? "uid \(conn.peer.uid)"
        var greeted = false
        var subscription: UInt64?
        defer {
            if let subscription { enforcer.hub.unsubscribe(subscription) }
            conn.close()
            connections.subtract(1, ordering: .relaxed)
        }
        while let event = try? conn.reader.next() {
            switch event {
            case .tooLong(let n):
                try? conn.send(ControlWire.error(id: .null, .invalidRequest, "message of \(n) bytes exceeds the \(Self.maxMessageBytes)-byte limit"))
            case .line(let bytes):
                let send: EventHub.Send = { bytes in
                    if (try? conn.send(bytes)) != nil { return true }
                    // The stream is broken (e.g. the write timed out on a subscriber that
                    // stopped reading): hang up, so the subscriber sees its stream end and
                    // can reconnect, instead of waiting forever for events that never come.
                    conn.close()
                    return false
                }
                let reply = handle(bytes, operatorName: operatorName, greeted: &greeted, subscription: &subscription, send: send)
                if let reply, (try? conn.send(reply)) == nil { return }
            }
        }
    }

    /// One request in, at most one reply out (a subscription's answer is sent by its subscriber,
    /// through `send`). Free of the socket, so tests and the fuzzer can drive it directly.
    func handle(_ bytes: [UInt8], operatorName: String, greeted: inout Bool,
                subscription: inout UInt64?, send: @escaping EventHub.Send) -> [UInt8]? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        let message: JSONValue
        do {
            message = try JSONParser.parse(bytes)
        } catch {
            return ControlWire.error(id: .null, .parseError, "parse error: \(error.message)")
        }
        guard case .object(let o) = message else {
            return ControlWire.error(id: .null, .invalidRequest, "expected a JSON-RPC request object")
        }
        let id = o["id"] ?? .null
        guard case .string(let methodName)? = o["method"] else {
            return ControlWire.error(id: id, .invalidRequest, "missing method")
        }
        let isNotification = o["id"] == nil
        guard let method = ControlProtocol.Method(rawValue: methodName) else {
            let names = ControlProtocol.Method.allCases.map(\.rawValue)
            var msg = "unknown method \"\(methodName)\""
            if let s = Suggestion.closest(to: methodName, in: names) { msg += " (did you mean \"\(s)\"?)" }
            return isNotification ? nil : ControlWire.error(id: id, .methodNotFound, msg)
        }
        // Every command is a request: one sent without an id used to act (a `kill`, an `approve`)
        // and then be answered with id null, which a client matching answers by id cannot place.
        // It now acts on nothing and says why.
        if isNotification {
            return ControlWire.error(id: .null, .invalidRequest, "\"\(methodName)\" needs an id: commands are requests, not notifications")
        }
        let params = o["params"] ?? .object(JSONObject())

        if method != .hello, !greeted {
            return ControlWire.error(id: id, .handshakeRequired, "send hello first")
        }
        do {
            switch method {
            case .hello:
                let p = try decode(HelloParams.self, params)
                guard p.protocolVersion == ControlProtocol.version else {
                    return ControlWire.error(id: id, .versionMismatch,
                                             "protocol version \(p.protocolVersion) is not supported; this gateway speaks \(ControlProtocol.version)")
                }
                greeted = true
                return ControlWire.result(id: id, HelloResult(protocolVersion: ControlProtocol.version,
                                                              gateway: enforcer.config.gateway, operatorName: operatorName))
            case .subscribe:
                if subscription != nil { return ControlWire.error(id: id, .invalidRequest, "already subscribed") }
                subscription = enforcer.subscribe(send: send, answer: { ControlWire.result(id: id, $0) })
                return nil
            case .status:
                return ControlWire.result(id: id, enforcer.snapshot())
            case .pending:
                return ControlWire.result(id: id, enforcer.pendingApprovals())
            case .calls:
                let p = try decode(CallsParams.self, params)
                return ControlWire.result(id: id, enforcer.recentCalls(limit: p.limit ?? 100))
            case .approve:
                let p = try decode(ApproveParams.self, params)
                return try command(id) { try ResolveResult(call: enforcer.approve(p, by: operatorName)) }
            case .deny:
                let p = try decode(DenyParams.self, params)
                return try command(id) { try ResolveResult(call: enforcer.deny(p, by: operatorName)) }
            case .kill:
                let p = try decode(KillParams.self, params)
                return try command(id) { try enforcer.engageKillSwitch(by: operatorName, reason: p.reason) }
            case .release:
                return try command(id) { try enforcer.releaseKillSwitch(by: operatorName) }
            case .toolOverride:
                let p = try decode(ToolOverrideParams.self, params)
                var action: PolicyAction?
                if let a = p.action, a != "clear" {
                    guard let parsed = PolicyAction(rawValue: a) else {
                        return ControlWire.error(id: id, .invalidParams,
                                                 "action must be allow, deny, require_approval or clear, not \"\(a)\"")
                    }
                    action = parsed
                }
                return try command(id) { try enforcer.setOverride(tool: p.tool, action: action, by: operatorName) }
            case .reload:
                switch reload(operatorName) {
                case .success(let r): return ControlWire.result(id: id, r)
                case .failure(let f):
                    return ControlWire.error(id: id, .invalidPolicy, "the policy file is invalid; the previous policy stays in force",
                                             data: .array(f.messages.map(JSONValue.string)))
                }
            }
        } catch let e as ParamsError {
            return ControlWire.error(id: id, .invalidParams, e.message)
        } catch {
            return ControlWire.error(id: id, .internalError, "\(error)")
        }
    }

    struct ParamsError: Error { var message: String }

    private func decode<T: Decodable>(_ type: T.Type, _ params: JSONValue) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(JSONWriter.bytes(params)))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ParamsError(message: "missing parameter \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw ParamsError(message: "parameter \"\(path)\" has the wrong type")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw ParamsError(message: "invalid parameter \(ctx.codingPath.map(\.stringValue).joined(separator: ".")): \(ctx.debugDescription)")
        } catch {
            throw ParamsError(message: "invalid params")
        }
    }

    private func command<R: Encodable>(_ id: JSONValue, _ body: () throws -> R) throws -> [UInt8] {
        do {
            return ControlWire.result(id: id, try body())
        } catch let error as Enforcer.CommandError {
            let code: ControlProtocol.ErrorCode
            switch error {
            case .notFound: code = .notFound
            case .alreadyResolved: code = .alreadyResolved
            case .mismatch: code = .mismatch
            case .invalid: code = .invalidParams
            case .storage: code = .internalError
            }
            return ControlWire.error(id: id, code, error.description)
        }
    }
}
