import Foundation
import GatehouseCore
import Logging
import Synchronization

/// The gateway's brain: it sees every message between client and upstream, decides each
/// `tools/call`, holds calls for operators, and keeps the audit log and the event stream.
///
/// It does no I/O of its own beyond the store: messages leave through `Outputs`, so tests can
/// drive it without processes. All state sits behind one lock; messages are written after the
/// lock is released, so a client or upstream that stops reading cannot wedge the gateway.
public final class Enforcer: Sendable {
    public struct Config: Sendable {
        public var gateway: GatewayInfo
        public var session: String
        public var auditArguments: StateStore.ArgumentsMode
        /// Seconds between `notifications/progress` for a held call with a progress token.
        public var progressInterval: Double
        public var recentCapacity: Int
        /// Seconds between removals of counter charges that have left their window (SQLite
        /// counters only); 0 never removes them.
        public var pruneInterval: Double

        public init(gateway: GatewayInfo, session: String, auditArguments: StateStore.ArgumentsMode = .full,
                    progressInterval: Double = 5, recentCapacity: Int = 500, pruneInterval: Double = 300) {
            self.gateway = gateway
            self.session = session
            self.auditArguments = auditArguments
            self.progressInterval = progressInterval
            self.recentCapacity = recentCapacity
            self.pruneInterval = pruneInterval
        }
    }

    public struct Outputs: Sendable {
        public var toClient: @Sendable ([UInt8]) -> Void
        /// False when the upstream cannot take the message (it has exited).
        public var toUpstream: @Sendable ([UInt8]) -> Bool
        public init(toClient: @escaping @Sendable ([UInt8]) -> Void, toUpstream: @escaping @Sendable ([UInt8]) -> Bool) {
            self.toClient = toClient
            self.toUpstream = toUpstream
        }
    }

    public enum CommandError: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case alreadyResolved(String)
        case mismatch(String)
        case invalid(String)
        case storage(String)

        public var description: String {
            switch self {
            case .notFound(let m), .alreadyResolved(let m), .mismatch(let m), .invalid(let m), .storage(let m): m
            }
        }
    }

    let config: Config
    let store: StateStore?
    let counters: any CounterStore
    public let hub: EventHub
    let clock: WallClock
    let outputs: Outputs
    let log: Logger
    let state: Mutex<State>
    let timers = DispatchQueue(label: "gatehouse.timers")
    /// Orders a held call's progress notifications before its answer: taken around writing an
    /// effect to the client and around a progress check-and-write (never inside `state`).
    let clientOrder = Mutex(())

    public init(config: Config, policy: LoadedPolicy, store: StateStore?, counters: any CounterStore, hub: EventHub,
                clock: WallClock = .system, outputs: Outputs, logger: Logger = Logger(label: "gatehouse")) throws {
        self.config = config
        self.store = store
        self.counters = counters
        self.hub = hub
        self.clock = clock
        self.outputs = outputs
        self.log = logger
        let runtime = try store?.loadRuntimeState(gateway: config.gateway.name, now: clock.now()) ?? RuntimeState()
        self.state = Mutex(State(engine: PolicyEngine(policy: policy.policy, counters: counters), policy: policy.summary,
                                 runtime: runtime, recentCapacity: config.recentCapacity))
        if let k = runtime.killSwitch {
            logger.warning("kill switch is engaged (by \(k.engagedBy)); every tool call will be denied until it is released")
        }
        if config.pruneInterval > 0, counters is SQLiteCounterStore { schedulePrune() }
    }

    /// Charges that have left their window no longer count but would stay in the table for good,
    /// slowing every snapshot (`activeKeys` reads them all): drop them now and then.
    private func schedulePrune() {
        timers.asyncAfter(deadline: .now() + config.pruneInterval) { [weak self] in
            guard let self else { return }
            do {
                try (counters as? SQLiteCounterStore)?.prune(now: clock.now())
            } catch {
                log.warning("could not drop expired counter charges: \(error)")
            }
            schedulePrune()
        }
    }

    var gatewayName: String { config.gateway.name }

    // MARK: - State

    struct Held: Sendable {
        var record: CallRecord
        var decision: Decision
        var request: [UInt8]
        var rpcID: JSONValue
        var progressToken: JSONValue?
        /// Whether the request used the 2026-07-28 envelope (its answers need `resultType`).
        var modern: Bool
        var settings: ApprovalSettings
        var heldAt: Double
        var expiresAt: Double
        var progressSent: Int = 0

        var pending: PendingApproval {
            PendingApproval(id: record.id, call: record, heldAt: heldAt, expiresAt: expiresAt, onTimeout: settings.onTimeout.rawValue)
        }
    }

    struct InFlight: Sendable {
        var record: CallRecord
        var reservation: Reservation?
        var startedAt: Double
        /// Where the call sits among the recent calls (see `State.remember`).
        var recent: Int
    }

    struct UpstreamTool: Sendable {
        var name: String
        var description: String?
        var annotations: JSONValue?
        var risk: RiskClass
    }

    struct State: Sendable {
        var engine: PolicyEngine
        var policy: PolicySummary
        var runtime: RuntimeState
        var held: [String: Held] = [:]
        /// JSON-RPC id key → call id, for held calls (cancellation arrives by request id).
        var heldByRequest: [String: String] = [:]
        var inFlight: [String: InFlight] = [:]
        var listRequests: Set<String> = []
        var initializeRequests: Set<String> = []
        /// Whether the client did the pre-2026 `initialize` handshake (it may then be sent
        /// list_changed at any time); 2026-07-28 clients get it only on a subscription.
        var handshakeClient = false
        /// 2026-07-28 `subscriptions/listen` requests that asked for toolsListChanged, by id key.
        var toolListSubscriptions: [String: JSONValue] = [:]
        /// Every other request forwarded and not yet answered, so an upstream exit can fail it.
        var otherRequests: Set<String> = []
        var tools: [UpstreamTool] = []
        /// The newest calls: a ring of `recentCapacity` records. A call's position is a count of
        /// the records remembered before it, so an overwritten slot is told apart.
        private var ring: [CallRecord] = []
        private var ringNext = 0
        let recentCapacity: Int
        var seq: UInt64 = 0
        var upstreamRunning = true
        var upstreamFailure: String?
        var clientClosed = false

        init(engine: PolicyEngine, policy: PolicySummary, runtime: RuntimeState, recentCapacity: Int) {
            self.engine = engine
            self.policy = policy
            self.runtime = runtime
            self.recentCapacity = recentCapacity
        }

        /// Whether a client request with this id key is still waiting for its answer.
        func isAwaiting(_ key: String) -> Bool {
            // An empty table is not hashed into: most of these are empty most of the time.
            (!inFlight.isEmpty && inFlight[key] != nil) || (!heldByRequest.isEmpty && heldByRequest[key] != nil)
                || (!listRequests.isEmpty && listRequests.contains(key))
                || (!initializeRequests.isEmpty && initializeRequests.contains(key))
                || (!otherRequests.isEmpty && otherRequests.contains(key))
        }

        mutating func nextSeq() -> UInt64 {
            seq += 1
            return seq
        }

        /// Where a call may already be among the recent calls.
        enum RecentSlot {
            /// A call seen for the first time.
            case new
            /// Where it was remembered before (what `remember` returned then).
            case at(Int)
            /// Unknown: looked for.
            case find
        }

        /// Keeps the newest calls, replacing a call's earlier state in place; returns its position.
        /// Found by its slot, not through an index of ids: keeping one cost every call two
        /// hash-table writes, for the few updates (approvals, cancellations) that must search.
        @discardableResult
        mutating func remember(_ r: CallRecord, _ slot: RecentSlot) -> Int {
            let capacity = Swift.max(1, recentCapacity)
            switch slot {
            case .at(let n) where n >= ringNext - capacity && n < ringNext && ring[n % capacity].id == r.id:
                ring[n % capacity] = r
                return n
            case .new:
                break
            case .at, .find:
                if let n = position(of: r.id) {
                    ring[n % capacity] = r
                    return n
                }
            }
            if ring.count < capacity { ring.append(r) } else { ring[ringNext % capacity] = r }
            ringNext += 1
            return ringNext - 1
        }

        private func position(of id: String) -> Int? {
            guard !ring.isEmpty else { return nil }
            // Newest first: an update is most often for a recent call.
            for n in stride(from: ringNext - 1, through: Swift.max(0, ringNext - ring.count), by: -1)
            where ring[n % ring.count].id == id {
                return n
            }
            return nil
        }

        /// The remembered calls, oldest first.
        var recentCalls: [CallRecord] {
            guard ring.count == Swift.max(1, recentCapacity) else { return ring }
            let start = ringNext % ring.count
            return Array(ring[start...] + ring[..<start])
        }

        /// The remembered state of a call, if it is still among the newest.
        func recentCall(_ id: String) -> CallRecord? {
            position(of: id).map { ring[$0 % ring.count] }
        }

    }

    /// A message to write once the lock is released.
    enum Effect {
        case client([UInt8])
        /// Forward to the upstream; if it cannot take it, fail the call with this id.
        case upstream([UInt8], failing: String?)
    }

    func perform(_ effects: [Effect]) {
        for e in effects {
            switch e {
            case .client(let bytes):
                clientOrder.withLock { _ in outputs.toClient(bytes) }
            case .upstream(let bytes, let callID):
                if !outputs.toUpstream(bytes), let callID {
                    failInFlight(callID: callID, message: "the upstream server is not running")
                }
            }
        }
    }

    // MARK: - Events

    /// Every event takes the next seq, heard or not, so snapshots number alike either way; one
    /// that no subscriber will hear is not published. Checked under the state lock, which
    /// subscribing also holds, so a new subscriber cannot fall between its snapshot and this check.
    func emit(_ s: inout State, _ event: ControlEvent) {
        let seq = s.nextSeq()
        guard hub.subscriberCount > 0 else { return }
        var e = event
        e.seq = seq
        hub.publish(e)
    }

    /// Two per call: with nobody listening, not even the event is built. Returns where the call
    /// sits among the recent calls, for its next event.
    @discardableResult
    func emitCall(_ s: inout State, _ r: CallRecord, recent slot: State.RecentSlot = .find) -> Int {
        let position = s.remember(r, slot)
        let seq = s.nextSeq()
        guard hub.subscriberCount > 0 else { return position }
        hub.publish(ControlEvent(seq: seq, at: clock.now(), type: .call, call: r))
        return position
    }

    /// Writes the call's audit row; false when it could not be written. `completing`: the call's
    /// first row was written, so this one updates it.
    func audit(_ r: CallRecord, completing: Bool = false) -> Bool {
        guard let store else { return true }
        do {
            if completing {
                try store.complete(r, arguments: config.auditArguments, now: clock.now())
            } else {
                try store.record(r, arguments: config.auditArguments, now: clock.now())
            }
            return true
        } catch {
            log.error("audit log write failed for call \(r.id): \(error)")
            return false
        }
    }

    /// 12 hex digits, as call ids have always had.
    static func newCallID() -> String { RandomID.hex(12) }
}
