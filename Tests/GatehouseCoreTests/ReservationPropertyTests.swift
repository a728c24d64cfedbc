import Testing
import PropertyBased
@testable import GatehouseCore

/// Reserve, commit and roll back under random interleavings, and under real concurrency.
@Suite("Reservation properties")
struct ReservationPropertyTests {
    enum Op: Sendable, CustomStringConvertible {
        case reserve(key: Int, amount: Double)
        case commit(pick: Int)
        case rollback(pick: Int)
        case advance(Double)

        var description: String {
            switch self {
            case .reserve(let k, let a): "reserve(k\(k), \(a))"
            case .commit(let p): "commit(#\(p))"
            case .rollback(let p): "rollback(#\(p))"
            case .advance(let d): "advance(\(d))"
            }
        }
    }

    static let window = 10.0
    static let max = 5

    static let programs = Generator<[Op], Shrink.None<[Op]>> { rng in
        (0..<Int.random(in: 1...120, using: &rng)).map { _ in
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5: .reserve(key: Int.random(in: 0...1, using: &rng), amount: Double(Int.random(in: 0...3, using: &rng)))
            case 5..<7: .commit(pick: Int.random(in: 0..<1000, using: &rng))
            case 7..<9: .rollback(pick: Int.random(in: 0..<1000, using: &rng))
            default: .advance(Double(Int.random(in: 1...6, using: &rng)))
            }
        }
    }

    /// The model: each reservation ever made, and what became of it.
    struct Made {
        var reservation: Reservation
        var key: Int
        var amount: Double
        var committed = false
        var rolledBack = false
    }

    static func key(_ k: Int) -> CounterKey { CounterKey(counter: "c\(k)", scope: .session, subject: "s") }

    @Test func usedAlwaysEqualsTheLiveCommittedAndPendingReservations() async {
        await propertyCheck(count: 300, input: Self.programs) { program throws in
            let store = InMemoryCounterStore()
            var now = 0.0
            var made: [Made] = []
            func live(_ k: Int) -> Double {
                made.filter { $0.key == k && !$0.rolledBack && $0.reservation.at > now - Self.window }.reduce(0) { $0 + $1.amount }
            }
            for op in program {
                switch op {
                case .reserve(let k, let amount):
                    let before = live(k)
                    let charge = CounterCharge(key: Self.key(k), window: Self.window, max: Self.max, amount: amount)
                    switch try store.reserve([charge], now: now) {
                    case .reserved(let r):
                        #expect(before + amount <= Double(Self.max))
                        made.append(Made(reservation: r, key: k, amount: amount))
                    case .exceeded:
                        #expect(before + amount > Double(Self.max), "refused though it fits: rolled-back charges still counted?")
                    }
                case .commit(let pick):
                    guard !made.isEmpty else { continue }
                    let i = pick % made.count
                    try store.commit(made[i].reservation)
                    if !made[i].rolledBack { made[i].committed = true }
                case .rollback(let pick):
                    guard !made.isEmpty else { continue }
                    let i = pick % made.count
                    try store.rollback(made[i].reservation)
                    // A rollback after commit changes nothing; a second rollback neither.
                    if !made[i].committed { made[i].rolledBack = true }
                case .advance(let d):
                    now += d
                }
                for k in 0...1 {
                    let usage = try store.usage(Self.key(k), window: Self.window, max: Self.max, now: now)
                    #expect(usage.used == live(k), "after \(op): store says \(usage.used), model \(live(k))")
                    #expect(usage.used <= Double(Self.max))
                }
            }
        }
    }

    @Test func reservingSeveralChargesIsAllOrNothing() throws {
        let store = InMemoryCounterStore()
        let a = CounterCharge(key: Self.key(0), window: 60, max: 10, amount: 1)
        let b = CounterCharge(key: Self.key(1), window: 60, max: 1, amount: 1)
        guard case .reserved = try store.reserve([a, b], now: 0) else { Issue.record("first call refused"); return }
        guard case .exceeded(let breach) = try store.reserve([a, b], now: 0) else { Issue.record("second call admitted"); return }
        #expect(breach.charge.key == Self.key(1))
        #expect(try store.usage(Self.key(0), window: 60, max: 10, now: 0).used == 1, "the refused call took nothing from the other counter")
        // Two charges of one call on the same key must fit together.
        let twice = [CounterCharge(key: Self.key(2), window: 60, max: 3, amount: 2), CounterCharge(key: Self.key(2), window: 60, max: 3, amount: 2)]
        guard case .exceeded(let b2) = try store.reserve(twice, now: 0) else { Issue.record("2 + 2 fitted in 3"); return }
        #expect(b2.used == 2, "the first charge of the same call counts as used")
        #expect(try store.usage(Self.key(2), window: 60, max: 3, now: 0).used == 0)
    }

    @Test func checkTakesNothing() throws {
        let store = InMemoryCounterStore()
        let c = CounterCharge(key: Self.key(0), window: 60, max: 1, amount: 1)
        #expect(try store.check([c], now: 0) == nil)
        #expect(try store.check([c], now: 0) == nil)
        _ = try store.reserve([c], now: 0)
        #expect(try store.check([c], now: 1)?.used == 1)
        #expect(try store.activeKeys(now: 1) == [Self.key(0)])
        #expect(try store.activeKeys(now: 60) == [], "expired charges leave no active key")
    }

    struct Burst: Sendable, CustomStringConvertible {
        var threads: Int
        var perThread: Int
        var max: Int
        var rollbackEvery: Int
        var description: String { "\(threads) threads × \(perThread), max \(max), rollback every \(rollbackEvery)" }
    }

    static let bursts = Generator<Burst, Shrink.None<Burst>> { rng in
        Burst(threads: Int.random(in: 2...8, using: &rng), perThread: Int.random(in: 1...200, using: &rng),
              max: Int.random(in: 1...300, using: &rng), rollbackEvery: Int.random(in: 0...4, using: &rng))
    }

    @Test func concurrentReservesNeverOverAdmit() async {
        await propertyCheck(count: 40, input: Self.bursts) { burst throws in
            let store = InMemoryCounterStore()
            let key = CounterKey(counter: "shared", scope: .global, subject: "")
            let charge = CounterCharge(key: key, window: 3600, max: burst.max, amount: 1)
            // Each task reserves; some roll back right away. Every task checks the invariant as it goes.
            let results = try await withThrowingTaskGroup(of: (admitted: Int, rolledBack: Int, overMax: Bool).self) { group in
                for t in 0..<burst.threads {
                    group.addTask {
                        var admitted = 0, rolledBack = 0, overMax = false
                        for i in 0..<burst.perThread {
                            if case .reserved(let r) = try store.reserve([charge], now: 0) {
                                admitted += 1
                                if try store.usage(key, window: 3600, max: burst.max, now: 0).used > Double(burst.max) { overMax = true }
                                if burst.rollbackEvery > 0, (i + t) % burst.rollbackEvery == 0 {
                                    try store.rollback(r)
                                    rolledBack += 1
                                } else {
                                    try store.commit(r)
                                }
                            }
                        }
                        return (admitted, rolledBack, overMax)
                    }
                }
                var all: [(admitted: Int, rolledBack: Int, overMax: Bool)] = []
                for try await r in group { all.append(r) }
                return all
            }
            let admitted = results.reduce(0) { $0 + $1.admitted }
            let rolledBack = results.reduce(0) { $0 + $1.rolledBack }
            let used = try store.usage(key, window: 3600, max: burst.max, now: 0).used
            #expect(!results.contains { $0.overMax }, "the window held more than max at some moment")
            #expect(used == Double(admitted - rolledBack))
            #expect(used <= Double(burst.max))
            if burst.rollbackEvery == 0 {
                // Without rollbacks exactly min(attempts, max) calls get in: none refused wrongly.
                #expect(admitted == min(burst.threads * burst.perThread, burst.max))
            }
        }
    }
}
