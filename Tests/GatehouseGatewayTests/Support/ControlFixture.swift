import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Testing
@testable import GatehouseGateway

/// An enforcer with its control server listening on a real Unix socket in a temporary directory.
final class ControlFixture: Sendable {
    let harness: Harness
    let server: ControlServer
    let socketPath: String
    let policyPath: String

    init(policy: String = Policies.standard, hubCapacity: Int = 10_000, storage: Storage = .sqlite) throws {
        let dir = try TemporaryDirectory(prefix: "ghctl")
        let storage: Storage = if case .memory = storage { .memory } else { .shared(dir) }
        harness = try Harness(policy: policy, storage: storage, hubCapacity: hubCapacity)
        policyPath = try dir.write("policy.json", policy)
        socketPath = dir.file("ctl.sock")
        let enforcer = harness.enforcer
        let policyPath = policyPath
        server = ControlServer(path: socketPath, enforcer: enforcer, logger: quietLogger) { by in
            Gateway.reload(path: policyPath, enforcer: enforcer, clock: .system, by: by)
        }
        try server.start()
        // Keep the directory (socket, policy) alive as long as the fixture.
        directory = dir
    }

    private let directory: TemporaryDirectory

    deinit { server.stop() }

    var enforcer: Enforcer { harness.enforcer }

    /// A connected client past `hello`.
    func client(_ name: String = "test") throws -> ControlClient {
        try ControlClient.connect(path: socketPath, clientName: name)
    }

    /// A raw connection, before any handshake.
    func raw() throws -> RawControl { try RawControl(path: socketPath) }

    /// Opens `total` raw connections, all saying hello at once, and counts the ones served and
    /// the ones refused; a refused one must be told why and then hung up on. The connections
    /// stay open for the caller to close.
    func helloStorm(_ total: Int, client: String) throws -> (served: Int, refused: Int, connections: [RawControl]) {
        var connections: [RawControl] = []
        for _ in 0..<total { connections.append(try raw()) }
        for c in connections { try? c.send(Msg.request("h", "hello", ["protocolVersion": 1, "client": .string(client)])) }
        var served = 0, refused = 0
        for c in connections {
            let first = try c.next()
            if first?["result"]?["protocolVersion"] == 1 {
                served += 1
            } else {
                #expect(first?.errorMessage == "too many control connections (\(ControlServer.maxConnections))")
                // And then the gateway hangs up.
                #expect(try c.next() == nil)
                refused += 1
            }
        }
        return (served, refused, connections)
    }
}

/// A control-socket connection that speaks raw lines, for protocol-level tests.
/// Every read is bounded: if nothing arrives in time the connection is closed and the read fails.
final class RawControl: Sendable {
    let connection: UnixSocketConnection

    init(path: String) throws {
        connection = try UnixSocketConnection.connect(path: path, writeTimeout: .seconds(10), maxLineSize: 64 << 20)
    }

    deinit { connection.close() }

    func send(_ text: String) throws { try connection.send(text) }
    func send(_ value: JSONValue) throws { try connection.send(JSONWriter.bytes(value)) }

    /// The next line as JSON; nil at end of stream (or when nothing came within `timeout`).
    func next(within timeout: Duration = testPatience) throws -> JSONValue? {
        let conn = connection
        let event = try withWatchdog(timeout, onTimeout: { conn.close() }) { try connection.reader.next() }
        switch event {
        case .line(let bytes)?: return try JSONParser.parse(bytes, options: .init(maxDepth: 512))
        case .tooLong?: Issue.record("over-long line from the gateway"); return nil
        case nil: return nil
        }
    }

    /// Sends a request and returns the next line (the server answers requests in order).
    func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) throws -> JSONValue? {
        try send(Msg.request(id, method, params))
        return try next()
    }

    /// Says hello with the current protocol version.
    func hello() throws {
        let answer = try request("hello", "hello", ["protocolVersion": .number(ControlProtocol.version), "client": "raw-test"])
        #expect(answer?["result"]?["protocolVersion"] == .number(ControlProtocol.version))
    }

    func close() { connection.close() }
}

extension ControlClient {
    /// `call` with a watchdog, so a missing answer fails instead of hanging.
    func checkedCall<P: Encodable, R: Decodable>(_ method: ControlProtocol.Method, _ params: P, as type: R.Type) throws -> R {
        try withWatchdog(testPatience, onTimeout: { [self] in close() }) { try call(method, params, as: R.self) }
    }

    func checkedCall<R: Decodable>(_ method: ControlProtocol.Method, as type: R.Type) throws -> R {
        try checkedCall(method, EmptyParams(), as: R.self)
    }

    /// The next message, with a watchdog.
    func checkedNext(within timeout: Duration = testPatience) throws -> ControlMessage? {
        try withWatchdog(timeout, onTimeout: { [self] in close() }) { try next() }
    }

    /// Reads until an event matching `predicate` arrives (returning it), collecting what came before.
    func nextEvent(within timeout: Duration = testPatience, where predicate: (ControlEvent) -> Bool) throws -> ControlEvent? {
        try withWatchdog(timeout, onTimeout: { [self] in close() }) {
            while let m = try next() {
                if case .event(let e) = m, predicate(e) { return e }
            }
            return nil
        }
    }
}
