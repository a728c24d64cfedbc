import Testing
import PropertyBased
@testable import GatehouseCore

/// The in-memory store keeps running sums for speed; these tests hold it to the plain rule
/// (`RollingWindow.assess(events:)` over every charge), decision for decision.
@Suite("Counter ledger")
struct CounterLedgerTests {
    /// The plain rule as a store: every charge in a list, assessed from scratch each time.
    final class ReferenceStore {
        var charges: [(key: CounterKey, at: Double, amount: Double, id: Int)] = []
        var nextID = 0

        func reserve(_ cs: [CounterCharge], now: Double) -> (ok: Bool, used: Double, retry: Double?, id: Int) {
            var pending: [CounterKey: Double] = [:]
            for c in cs {
                var events = charges.filter { $0.key == c.key }.map { RollingWindow.Event(at: $0.at, amount: $0.amount) }
                events.append(RollingWindow.Event(at: now, amount: pending[c.key] ?? 0))
                let a = RollingWindow.assess(events: events, window: c.window, max: c.max, amount: c.amount, now: now)
                if !a.fits { return (false, a.used, a.retryAfter, -1) }
                pending[c.key, default: 0] += c.amount
            }
            nextID += 1
            for c in cs { charges.append((c.key, now, c.amount, nextID)) }
            return (true, 0, nil, nextID)
        }

        func rollback(_ id: Int) { charges.removeAll { $0.id == id } }
    }

    struct Step: Sendable, CustomStringConvertible {
        var advance: Double
        var keys: [Int]
        var amounts: [Double]
        var rollbackPick: Int?
        var description: String { "+\(advance) \(keys)×\(amounts)\(rollbackPick.map { " rollback #\($0)" } ?? "")" }
    }

    static let amounts: [Double] = [0.1, 0.2, 0.3, 1.0 / 3, 0.7, 1, 2, 0, 0.05]

    static let programs = Generator<[Step], Shrink.None<[Step]>> { rng in
        (0..<Int.random(in: 1...150, using: &rng)).map { _ in
            let n = Int.random(in: 1...2, using: &rng)
            return Step(
                advance: [0, 0, 0.01, 0.1, 0.5, 1, 3][Int.random(in: 0..<7, using: &rng)],
                keys: (0..<n).map { _ in Int.random(in: 0...1, using: &rng) },
                amounts: (0..<n).map { _ in amounts.randomElement(using: &rng)! },
                rollbackPick: Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: 0..<1000, using: &rng) : nil)
        }
    }

    @Test func decidesExactlyAsThePlainRuleWithFractionalAmounts() async {
        await propertyCheck(count: 300, input: Self.programs) { steps throws in
            let store = InMemoryCounterStore()
            let reference = ReferenceStore()
            var now = 0.0
            var made: [(Reservation, Int)] = []
            for step in steps {
                now += step.advance
                let charges = zip(step.keys, step.amounts).map { k, a in
                    CounterCharge(key: CounterKey(counter: "k\(k)", scope: .global, subject: ""), window: 2, max: 3, amount: a)
                }
                let expected = reference.reserve(charges, now: now)
                switch try store.reserve(charges, now: now) {
                case .reserved(let r):
                    #expect(expected.ok, "store admitted \(step) at \(now); the plain rule refuses")
                    if expected.ok { made.append((r, expected.id)) }
                case .exceeded(let b):
                    #expect(!expected.ok, "store refused \(step) at \(now); the plain rule admits")
                    #expect(b.used == expected.used)
                    #expect(b.retryAfter == expected.retry)
                }
                if let pick = step.rollbackPick, !made.isEmpty {
                    let (r, id) = made.remove(at: pick % made.count)
                    try store.rollback(r)
                    reference.rollback(id)
                }
            }
        }
    }

    @Test func aClockThatStepsBackKeepsTimeOrder() throws {
        var ledger = CounterLedger()
        for (i, t) in [10.0, 12, 11, 12, 9].enumerated() {
            ledger.insert(CounterLedger.Entry(at: t, amount: 1, window: 5, reservation: UInt64(i)))
        }
        #expect(ledger.live.map(\.at) == [9, 10, 11, 12, 12])
        let first = ledger.rollback(reservation: 2, at: 11)
        let second = ledger.rollback(reservation: 2, at: 11)
        #expect(first)
        #expect(!second, "a second rollback finds nothing")
        #expect(ledger.usage(window: 5, max: 10, now: 13).used == 4)
        ledger.prune(now: 15)
        #expect(ledger.live.map(\.at) == [12, 12])
    }

    @Test func committedChargesSurviveARollback() {
        var ledger = CounterLedger()
        ledger.insert(CounterLedger.Entry(at: 1, amount: 2, window: 60, reservation: 7))
        ledger.commit(reservation: 7, at: 1)
        let removed = ledger.rollback(reservation: 7, at: 1)
        #expect(!removed)
        #expect(ledger.usage(window: 60, max: 10, now: 2).used == 2)
    }

    @Test func longRunsOfFractionalChargesDoNotDrift() throws {
        // Thousands of adds and expiries: the running total must not wander from the true sum.
        var ledger = CounterLedger()
        var now = 0.0
        for i in 0..<20_000 {
            now = Double(i) / 64  // exact in binary, so the window edge is exact too
            ledger.prune(now: now)
            ledger.insert(CounterLedger.Entry(at: now, amount: [0.1, 0.7, 1.0 / 3][i % 3], window: 1, reservation: UInt64(i)))
        }
        let exact = ledger.usage(window: 1, max: 1000, now: now).used
        let fast = ledger.assess(window: 1, max: 1000, amount: 0, pending: 0, now: now).used
        #expect(abs(exact - fast) < 1e-9)
        #expect(ledger.live.count == 64, "entries older than the window are dropped")
    }
}
