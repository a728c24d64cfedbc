import GatehouseCore
import Testing
@testable import GatehouseDashboard

@Suite("Call log: bounded ring with a live filter index")
struct CallLogTests {
    func entry(_ id: String, tool: String = "get_price", outcome: CallRecord.Outcome = .ok) -> CallEntry {
        CallEntry(gateway: Fx.exchange, record: Fx.call(id, tool: tool, outcome: outcome))
    }

    @Test func keepsTheNewestCallsAndForgetsTheOldest() {
        var log = CallLog(capacity: 3)
        for i in 0..<5 { log.upsert(entry("c\(i)")) }
        #expect(log.count == 3)
        #expect(log.all.map(\.key.id) == ["c2", "c3", "c4"])
        #expect(!log.contains(CallKey(gateway: Fx.exchange, id: "c1")))
        #expect(log.visibleIndex(of: CallKey(gateway: Fx.exchange, id: "c3")) == 1)
    }

    @Test func anUpdateKeepsTheCallInPlace() {
        var log = CallLog(capacity: 10)
        log.upsert(entry("a", outcome: .held))
        log.upsert(entry("b"))
        let isNew = log.upsert(entry("a", outcome: .ok))
        #expect(!isNew)
        #expect(log.all.map(\.key.id) == ["a", "b"])
        #expect(log.visible(at: 0).status == .allowed)
    }

    @Test func sameIdOnTwoGatewaysIsTwoCalls() {
        var log = CallLog(capacity: 10)
        log.upsert(CallEntry(gateway: Fx.exchange, record: Fx.call("x")))
        log.upsert(CallEntry(gateway: Fx.git, record: Fx.call("x", gateway: "git")))
        #expect(log.count == 2)
    }

    @Test func filterMatchesEveryWordAnywhereCaseInsensitively() {
        var log = CallLog(capacity: 10)
        log.upsert(entry("1", tool: "place_order", outcome: .held))
        log.upsert(entry("2", tool: "get_price"))
        log.upsert(entry("3", tool: "place_order", outcome: .denied))
        log.setFilter(ListFilter("PLACE held"))
        #expect((0..<log.visibleCount).map { log.visible(at: $0).key.id } == ["1"])
        log.setFilter(ListFilter("btc place"))  // "BTC" is in the arguments
        #expect(log.visibleCount == 2)
        log.setFilter(ListFilter("rate-limited"))
        #expect(log.visibleCount == 0)
    }

    /// The incrementally kept filter index always equals filtering from scratch, through
    /// arrivals, updates that change whether a call matches, and evictions.
    @Test func incrementalFilterEqualsRecomputing() {
        var rng = SystemRandomNumberGenerator()
        let tools = ["place_order", "get_price", "cancel_all"]
        let outcomes: [CallRecord.Outcome] = [.held, .ok, .denied, .rateLimited]
        for _ in 0..<20 {
            var log = CallLog(capacity: 17)
            log.setFilter(ListFilter(["place", "held", "ok price", "denied"].randomElement(using: &rng)!))
            for _ in 0..<200 {
                let id = "c\(Int.random(in: 0..<40, using: &rng))"
                log.upsert(entry(id, tool: tools.randomElement(using: &rng)!, outcome: outcomes.randomElement(using: &rng)!))
            }
            let incremental = (0..<log.visibleCount).map { log.visible(at: $0).key }
            let recomputed = log.all.filter { log.filter.matches($0.haystack) }.map(\.key)
            #expect(incremental == recomputed)
            for (i, k) in incremental.enumerated() { #expect(log.visibleIndex(of: k) == i) }
        }
    }

    @Test func retainRebuildsInOrder() {
        var log = CallLog(capacity: 10)
        for i in 0..<6 { log.upsert(entry("c\(i)", outcome: i % 2 == 0 ? .held : .ok)) }
        log.setFilter(ListFilter("get_price"))
        log.retain { $0.record.outcome.isFinal }
        #expect(log.all.map(\.key.id) == ["c1", "c3", "c5"])
        #expect(log.visibleCount == 3)
    }
}
