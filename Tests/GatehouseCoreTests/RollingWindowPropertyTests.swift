import Testing
import PropertyBased
@testable import GatehouseCore

/// The rolling-window guarantee, checked against a naive model on random traffic:
/// the accepted charges in every span (t - window, t] never exceed max, and a call is refused
/// only when accepting it really would exceed max.
@Suite("Rolling window properties")
struct RollingWindowPropertyTests {
    struct Attempt: Sendable, CustomStringConvertible {
        var at: Double
        var amount: Double
        var description: String { "\(amount)@\(at)" }
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var window: Double
        var max: Int
        var attempts: [Attempt]
        var description: String { "window \(window), max \(max), attempts \(attempts)" }
    }

    /// Times, windows and amounts are multiples of 1/4, so boundary cases (a charge exactly one
    /// window old) happen often and are exact in binary floating point.
    static let scenarios = Generator<Scenario, Shrink.None<Scenario>> { rng in
        let window = Double(Int.random(in: 1...40, using: &rng)) / 4
        let max = Int.random(in: 1...12, using: &rng)
        var t = Double(Int.random(in: 0...1000, using: &rng))
        var attempts: [Attempt] = []
        for _ in 0..<Int.random(in: 1...80, using: &rng) {
            // Bursts (no time passes), small steps, and gaps longer than the window.
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<3: break
            case 3..<8: t += Double(Int.random(in: 1...8, using: &rng)) / 4
            default: t += window * Double(Int.random(in: 1...3, using: &rng))
            }
            let amount: Double = switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6: 1
            case 6..<8: Double(Int.random(in: 0...(4 * max + 4), using: &rng)) / 4
            default: Double(Int.random(in: 0...(max + 2), using: &rng))
            }
            attempts.append(Attempt(at: t, amount: amount))
        }
        return Scenario(window: window, max: max, attempts: attempts)
    }

    /// Sum of accepted charges in (end - window, end].
    static func sum(_ accepted: [Attempt], window: Double, endingAt end: Double) -> Double {
        accepted.filter { $0.at > end - window && $0.at <= end }.reduce(0) { $0 + $1.amount }
    }

    @Test func acceptedChargesNeverExceedMaxInAnyWindowAndRefusalsAreReal() async {
        await propertyCheck(count: 400, input: Self.scenarios) { s throws in
            let store = InMemoryCounterStore()
            let key = CounterKey(counter: "c", scope: .grant, subject: "g")
            var accepted: [Attempt] = []
            for a in s.attempts {
                let charge = CounterCharge(key: key, window: s.window, max: s.max, amount: a.amount)
                let before = Self.sum(accepted, window: s.window, endingAt: a.at)
                switch try store.reserve([charge], now: a.at) {
                case .reserved:
                    #expect(before + a.amount <= Double(s.max), "accepted \(a) over max: \(before) already used")
                    accepted.append(a)
                case .exceeded(let b):
                    // Refused only when it really would exceed.
                    #expect(before + a.amount > Double(s.max), "refused \(a) though \(before) + \(a.amount) fits in \(s.max)")
                    #expect(b.used == before)
                    Self.checkRetryAfter(b.retryAfter, attempt: a, accepted: accepted, scenario: s)
                }
            }
            // The guarantee itself: every span ending at a charge (where span sums peak) is within max.
            for a in accepted {
                #expect(Self.sum(accepted, window: s.window, endingAt: a.at) <= Double(s.max))
            }
        }
    }

    /// retryAfter is the earliest moment the refused call would fit if nothing else were charged.
    static func checkRetryAfter(_ retryAfter: Double?, attempt a: Attempt, accepted: [Attempt], scenario s: Scenario) {
        guard let r = retryAfter else {
            #expect(a.amount > Double(s.max), "no retry time, yet \(a.amount) fits in an empty window")
            return
        }
        #expect(r > 0)
        #expect(sum(accepted, window: s.window, endingAt: a.at + r) + a.amount <= Double(s.max), "still does not fit after \(r)s")
        // A moment earlier it would not have fitted (charges leave the window exactly `window` after they were made).
        let earlier = a.at + r - 1.0 / 8
        #expect(sum(accepted, window: s.window, endingAt: earlier) + a.amount > Double(s.max), "would already fit before \(r)s")
    }

    @Test func assessAgreesWithTheModelForEventsInAnyOrder() async {
        await propertyCheck(count: 400, input: Self.scenarios) { s in
            let now = (s.attempts.last?.at ?? 0)
            let events = s.attempts.shuffled().map { RollingWindow.Event(at: $0.at, amount: $0.amount) }
            let used = Self.sum(s.attempts, window: s.window, endingAt: now)
            let a = RollingWindow.assess(events: events, window: s.window, max: s.max, amount: 1, now: now)
            #expect(a.used == used)
            #expect(a.fits == (used + 1 <= Double(s.max)))
            let live = s.attempts.filter { $0.at > now - s.window }
            #expect(a.resetsIn == live.map { $0.at + s.window - now }.min())
        }
    }

    @Test func aChargeCountsForExactlyOneWindow() throws {
        let store = InMemoryCounterStore()
        let charge = CounterCharge(key: CounterKey(counter: "c", scope: .global, subject: ""), window: 10, max: 1, amount: 1)
        guard case .reserved = try store.reserve([charge], now: 100) else { Issue.record("first charge refused"); return }
        guard case .exceeded(let b) = try store.reserve([charge], now: 109.999) else { Issue.record("over max"); return }
        #expect(b.retryAfter! > 0 && b.retryAfter! < 0.01)
        guard case .reserved = try store.reserve([charge], now: 110) else { Issue.record("still counted after one window"); return }
    }

    @Test func fractionalChargesFillMaxExactly() throws {
        let store = InMemoryCounterStore()
        let charge = CounterCharge(key: CounterKey(counter: "c", scope: .global, subject: ""), window: 60, max: 1, amount: 0.1)
        for _ in 0..<10 {
            guard case .reserved = try store.reserve([charge], now: 0) else { Issue.record("0.1 × 10 should fit in 1"); return }
        }
        guard case .exceeded = try store.reserve([charge], now: 0) else { Issue.record("an eleventh 0.1 fitted"); return }
    }
}
