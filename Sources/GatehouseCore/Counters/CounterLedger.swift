/// One counter's charges, kept in time order with their running sum, so that checking a
/// budget is O(1) in the common case instead of a sort over every charge in the window.
/// Used by `InMemoryCounterStore`; not thread-safe on its own.
struct CounterLedger {
    struct Entry {
        var at: Double
        var amount: Double
        var window: Double
        var reservation: UInt64
        /// Committed charges are final: a late rollback of the same reservation leaves them.
        var committed = false

        var event: RollingWindow.Event { RollingWindow.Event(at: at, amount: amount) }
    }

    /// Sorted by `at`; entries before `head` are dropped and reclaimed in batches.
    private(set) var entries: [Entry] = []
    private var head = 0
    /// Sum of `amount` over the live entries, kept incrementally; may drift by rounding.
    private var total = 0.0
    private var changesSinceRecount = 0

    var isEmpty: Bool { head == entries.count }
    var live: ArraySlice<Entry> { entries[head...] }

    /// Drops charges that have left their window.
    mutating func prune(now: Double) {
        var dropped = false
        while head < entries.count, entries[head].at <= now - entries[head].window {
            total -= entries[head].amount
            head += 1
            changesSinceRecount += 1
            dropped = true
        }
        if dropped { settle() }
    }

    mutating func insert(_ e: Entry) {
        if let last = entries.last, last.at > e.at, head < entries.count {
            // A clock that stepped back: keep time order.
            var lo = head, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if entries[mid].at <= e.at { lo = mid + 1 } else { hi = mid }
            }
            entries.insert(e, at: lo)
        } else {
            entries.append(e)
        }
        total += e.amount
        changesSinceRecount += 1
        settle()
    }

    /// Removes the uncommitted charges of one reservation; true if any were found.
    mutating func rollback(reservation: UInt64, at: Double) -> Bool {
        var removed = false
        var i = firstIndex(atOrAfter: at)
        while i < entries.count, entries[i].at == at {
            if entries[i].reservation == reservation, !entries[i].committed {
                total -= entries[i].amount
                entries.remove(at: i)
                changesSinceRecount += 1
                removed = true
            } else {
                i += 1
            }
        }
        if removed { settle() }
        return removed
    }

    mutating func commit(reservation: UInt64, at: Double) {
        var i = firstIndex(atOrAfter: at)
        while i < entries.count, entries[i].at == at {
            if entries[i].reservation == reservation { entries[i].committed = true }
            i += 1
        }
    }

    /// The same answer `RollingWindow.assess(events:)` gives over these entries, plus `pending`
    /// (charges of the same call to this counter, at `now`).
    func assess(window: Double, max: Int, amount: Double, pending: Double, now: Double) -> RollingWindow.Assessment {
        let start = firstIndex(after: now - window)
        if pending == 0 {
            let limit = Double(max)
            // Clearly inside the budget: the running total is accurate enough to say so.
            var approximate = total
            for i in head..<start { approximate -= entries[i].amount }
            if approximate + amount + 1e-6 * Swift.max(1, limit) <= limit {
                return RollingWindow.assess(sortedLive: entries[start...].lazy.map(\.event), used: approximate,
                                            window: window, max: max, amount: amount, now: now)
            }
            // Near or over the limit, decide on the exact sum, in time order, as the plain rule does.
            return RollingWindow.assess(sortedLive: entries[start...].lazy.map(\.event), used: exactSum(from: start),
                                        window: window, max: max, amount: amount, now: now)
        }
        var events = entries[start...].map(\.event)
        events.append(RollingWindow.Event(at: now, amount: pending))
        return RollingWindow.assess(events: events, window: window, max: max, amount: amount, now: now)
    }

    func usage(window: Double, max: Int, now: Double) -> RollingWindow.Assessment {
        let start = firstIndex(after: now - window)
        return RollingWindow.assess(sortedLive: entries[start...].lazy.map(\.event), used: exactSum(from: start),
                                    window: window, max: max, amount: 0, now: now)
    }

    /// Whether any charge still counts under its own window.
    func isActive(now: Double) -> Bool {
        live.contains { $0.at > now - $0.window }
    }

    private func exactSum(from start: Int) -> Double {
        var s = 0.0
        for i in start..<entries.count { s += entries[i].amount }
        return s
    }

    /// First live index whose time is greater than `t`.
    private func firstIndex(after t: Double) -> Int {
        var lo = head, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].at > t { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// First live index whose time is at least `t`.
    private func firstIndex(atOrAfter t: Double) -> Int {
        var lo = head, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].at >= t { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Reclaims dropped slots and recounts the total before rounding can build up.
    private mutating func settle() {
        if head == entries.count {
            entries.removeAll(keepingCapacity: entries.count < 4096)
            head = 0
            total = 0
            changesSinceRecount = 0
            return
        }
        if head > 64, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        if changesSinceRecount > 64, changesSinceRecount > entries.count - head {
            total = exactSum(from: head)
            changesSinceRecount = 0
        }
    }
}
