import Foundation
import GatehouseCore
import Synchronization

/// Fans events out to control-socket subscribers. Each subscriber has a bounded queue drained by
/// its own thread, so a slow or stuck dashboard never slows the gateway: when its queue overflows
/// the backlog is dropped and it is sent a `resync` (missed count + fresh snapshot) instead.
public final class EventHub: Sendable {
    public typealias Send = @Sendable ([UInt8]) -> Bool
    public typealias SnapshotProvider = @Sendable () -> Snapshot

    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextID = Atomic<UInt64>(0)
    public let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Starts delivering to `send` until it returns false or `unsubscribe` is called.
    @discardableResult
    public func subscribe(initial: [UInt8]? = nil, send: @escaping Send, snapshot: @escaping SnapshotProvider) -> UInt64 {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let sub = Subscriber(capacity: capacity, initial: initial, send: send, snapshot: snapshot) { [weak self] in self?.unsubscribe(id) }
        subscribers.withLock { $0[id] = sub }
        sub.start()
        return id
    }

    public func unsubscribe(_ id: UInt64) {
        let sub = subscribers.withLock { $0.removeValue(forKey: id) }
        sub?.close()
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    public func publish(_ event: ControlEvent) {
        let shared = SharedEvent(event)
        let subs = subscribers.withLock { Array($0.values) }
        for s in subs { s.enqueue(shared) }
    }

    public func closeAll() {
        let subs = subscribers.withLock { d in
            let all = Array(d.values)
            d.removeAll()
            return all
        }
        for s in subs { s.close() }
    }
}

/// An event encoded at most once, however many subscribers send it.
final class SharedEvent: @unchecked Sendable {
    let event: ControlEvent
    /// Guarded by `lock`. An `NSLock`, which puts waiters to sleep: the other nine subscribers
    /// waiting for the first to encode an event spun on a `Mutex`, a third of their CPU, on the
    /// cores the encoding needed.
    private var encoded: [UInt8]?
    private let lock = NSLock()
    init(_ event: ControlEvent) { self.event = event }

    var line: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let encoded { return encoded }
        let bytes = ControlWire.callEvent(event) ?? ControlWire.notification(.event, params: event)
        encoded = bytes
        return bytes
    }
}

private final class Subscriber: Sendable {
    private struct Queue {
        var events: [SharedEvent] = []
        var missed = 0
        var closed = false
    }

    private let queue = Mutex(Queue())
    private let signal = DispatchSemaphore(value: 0)
    private let capacity: Int
    private let initial: [UInt8]?
    private let send: EventHub.Send
    private let snapshot: EventHub.SnapshotProvider
    private let onDead: @Sendable () -> Void

    init(capacity: Int, initial: [UInt8]?, send: @escaping EventHub.Send, snapshot: @escaping EventHub.SnapshotProvider, onDead: @escaping @Sendable () -> Void) {
        self.capacity = capacity
        self.initial = initial
        self.send = send
        self.snapshot = snapshot
        self.onDead = onDead
    }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "gatehouse-subscriber"
        t.start()
    }

    func enqueue(_ e: SharedEvent) {
        let wake: Bool = queue.withLock { q in
            if q.closed { return false }
            if q.events.count >= capacity {
                q.missed += q.events.count + 1
                q.events.removeAll(keepingCapacity: true)
            } else {
                q.events.append(e)
            }
            return true
        }
        if wake { signal.signal() }
    }

    func close() {
        queue.withLock { $0.closed = true }
        signal.signal()
    }

    private func run() {
        // The snapshot answer goes first, so no event can overtake it.
        if let initial, !send(initial) { return die() }
        while true {
            signal.wait()
            let (batch, missed, closed): ([SharedEvent], Int, Bool) = queue.withLock { q in
                let b = q.events
                let m = q.missed
                q.events.removeAll(keepingCapacity: true)
                q.missed = 0
                return (b, m, q.closed)
            }
            if closed { return }
            if missed > 0 {
                let snap = snapshot()
                // The snapshot covers everything up to its seq, including events queued while it
                // was taken: sending those after it would go back in time, so they are dropped.
                queue.withLock { q in q.events.removeAll { $0.event.seq <= snap.seq } }
                let params = ResyncParams(missed: missed, snapshot: snap)
                if !send(ControlWire.notification(.resync, params: params)) { return die() }
                continue
            }
            if !sendBatch(batch) { return die() }
        }
    }

    /// The batch's lines in as few writes as possible (`send` ends each write with the last
    /// line's newline). One write per event was what let a subscriber fall behind a fast
    /// gateway: the further behind, the more it now sends per write.
    private func sendBatch(_ batch: [SharedEvent]) -> Bool {
        var out: [UInt8] = []
        for e in batch {
            if !out.isEmpty {
                if out.count >= Self.writeBytes {
                    if !send(out) { return false }
                    out.removeAll(keepingCapacity: true)
                } else {
                    out.append(0x0A)
                }
            }
            out += e.line
        }
        return out.isEmpty || send(out)
    }

    private static let writeBytes = 256 << 10

    private func die() {
        close()
        onDead()
    }
}
