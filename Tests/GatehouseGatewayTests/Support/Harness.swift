import Foundation
import GatehouseCore
import GatehouseTesting
import Logging
import Synchronization
@testable import GatehouseGateway

/// A wall clock tests can move; it starts at the real time.
final class TestClock: Sendable {
    private let value: Mutex<Double>
    init(_ start: Double = Date().timeIntervalSince1970) { value = Mutex(start) }
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    var wallClock: WallClock { WallClock { [self] in now } }
}

/// The two ways an enforcer runs: with a state directory (SQLite) or with nothing on disk.
enum Backend: String, CaseIterable, Sendable {
    case sqlite, memory
    var storage: Storage { self == .sqlite ? .sqlite : .memory }
}

/// A boolean shared between threads.
final class Flag: Sendable {
    private let storage: Mutex<Bool>
    init(_ value: Bool) { storage = Mutex(value) }
    var value: Bool {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// Where an enforcer keeps its state in a test.
enum Storage {
    /// A StateStore in a fresh temporary directory, with SQLite counters.
    case sqlite
    /// A StateStore in this directory (shared with another enforcer), with SQLite counters.
    case shared(TemporaryDirectory)
    /// No store at all: in-memory counters, nothing persisted, no audit log.
    case memory
}

/// Logs go nowhere: tests look at behaviour, not log lines.
let quietLogger = Logger(label: "gatehouse.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// One enforcer driven in-process: what it sends to the client and to the upstream is recorded.
final class Harness: Sendable {
    let directory: TemporaryDirectory?
    let store: StateStore?
    let counters: any CounterStore
    let hub: EventHub
    let enforcer: Enforcer
    let clock: TestClock
    let session: String
    let grant: String
    let toClient = LineRecorder()
    let toUpstream = LineRecorder()
    /// While false, the upstream "cannot take" messages (as when its stdin pipe is broken).
    let upstreamAccepts = Flag(true)

    init(policy: String, storage: Storage = .sqlite, name: String = "test", session: String = "session-1", grant: String = "alice",
         auditArguments: StateStore.ArgumentsMode = .full, progressInterval: Double = 5, hubCapacity: Int = 10_000,
         pruneInterval: Double = 300, slowProgressWrites: Bool = false, clock: TestClock = TestClock()) throws {
        self.clock = clock
        self.session = session
        self.grant = grant
        switch storage {
        case .sqlite:
            let dir = try TemporaryDirectory(prefix: "ghgw")
            directory = dir
            store = try StateStore(directory: dir.file("state"))
        case .shared(let dir):
            directory = dir
            store = try StateStore(directory: dir.file("state"))
        case .memory:
            directory = nil
            store = nil
        }
        counters = store.map { SQLiteCounterStore(store: $0) } ?? InMemoryCounterStore()
        hub = EventHub(capacity: hubCapacity)
        let loaded = try LoadedPolicy.parse(text: policy, file: "policy.json", now: clock.now)
        let info = GatewayInfo(name: name, pid: getpid(), upstream: ["fake-upstream"], startedAt: clock.now, grant: grant,
                               user: "tester", version: "test")
        let toClient = toClient, toUpstream = toUpstream, accepts = upstreamAccepts
        let outputs = Enforcer.Outputs(
            toClient: { bytes in
                // A client slow to take progress notifications widens any window in which one
                // could overtake (or trail) the call's answer.
                if slowProgressWrites, String(decoding: bytes, as: UTF8.self).contains("notifications/progress") {
                    Thread.sleep(forTimeInterval: 0.005)
                }
                toClient.append(bytes)
            },
            toUpstream: { bytes in
                guard accepts.value else { return false }
                toUpstream.append(bytes)
                return true
            })
        enforcer = try Enforcer(
            config: .init(gateway: info, session: session, auditArguments: auditArguments, progressInterval: progressInterval,
                          pruneInterval: pruneInterval),
            policy: loaded, store: store, counters: counters, hub: hub, clock: clock.wallClock, outputs: outputs, logger: quietLogger)
    }

    // MARK: - Driving

    /// The client sends this message (as one line, exactly these bytes).
    func client(_ text: String) { enforcer.handleClientLine(Array(text.utf8)) }
    func client(_ value: JSONValue) { enforcer.handleClientLine(JSONWriter.bytes(value)) }

    /// The upstream writes this line.
    func upstream(_ text: String) { enforcer.handleUpstreamLine(Array(text.utf8)) }
    func upstream(_ value: JSONValue) { enforcer.handleUpstreamLine(JSONWriter.bytes(value)) }

    /// Sends a `tools/call` and returns the request as sent.
    @discardableResult
    func call(_ id: JSONValue, _ tool: String, _ arguments: JSONValue = [:], progressToken: JSONValue? = nil) -> [UInt8] {
        let bytes = JSONWriter.bytes(Msg.call(id, tool, arguments, progressToken: progressToken))
        enforcer.handleClientLine(bytes)
        return bytes
    }

    /// Answers the request the upstream received with `id`, with a text result.
    func upstreamAnswers(_ id: JSONValue, text: String = "done", isError: Bool = false) {
        upstream(Msg.textResult(id, text, isError: isError))
    }

    // MARK: - Looking

    /// The answer the client got for `id`, waiting for it.
    func answer(_ id: JSONValue) -> JSONValue? { toClient.response(id: id) }

    /// Whether the upstream was sent a request with this id.
    func forwarded(_ id: JSONValue) -> Bool { toUpstream.messages.contains { $0["id"] == id && $0["method"] != nil } }

    /// The pending approval for the call with this JSON-RPC id, waiting for it to be held.
    func pending(_ id: JSONValue) -> PendingApproval? {
        let key = JSONWriter.string(id)
        return waitFor { enforcer.pendingApprovals().first { JSONWriter.string(requestID(of: $0)) == key } }
    }

    private func requestID(of p: PendingApproval) -> JSONValue {
        enforcer.state.withLock { s in s.held[p.id]?.rpcID } ?? .null
    }

    /// Every audit row, oldest first.
    func auditRows() throws -> [CallRecord] {
        guard let store else { return [] }
        return try store.audit(.init(limit: 100_000)).map(\.call)
    }

    /// The audit row of the call the client sent with this JSON-RPC id (found by tool and order).
    func auditRow(callID: String) throws -> CallRecord? { try auditRows().first { $0.id == callID } }
}
