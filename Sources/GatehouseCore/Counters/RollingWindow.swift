/// The rolling-window rule, shared by every counter store so they cannot disagree.
///
/// A charge made at time `t` counts while `now - window < t`, i.e. for exactly `window`
/// seconds. A new charge is accepted only if the charges in `(now - window, now]` plus the
/// new one stay within `max`. Hence, for every time `T`, the accepted charges in
/// `(T - window, T]` never exceed `max`: the guarantee `docs/policy.md` states.
/// (It relies on `now` never going backwards for a given counter.)
public enum RollingWindow {
    public struct Event: Sendable, Hashable {
        public var at: Double
        public var amount: Double
        public init(at: Double, amount: Double) {
            self.at = at
            self.amount = amount
        }
    }

    public struct Assessment: Sendable, Equatable {
        public var used: Double
        public var fits: Bool
        public var retryAfter: Double?
        public var resetsIn: Double?
    }

    /// A tiny tolerance so that ten charges of 0.1 fill a max of 1 exactly.
    public static let tolerance = 1e-9

    /// Whether `amount` more fits now. `events` may be in any order and may include expired ones.
    public static func assess(events: [Event], window: Double, max: Int, amount: Double, now: Double) -> Assessment {
        let live = events.filter { $0.at > now - window }.sorted { $0.at < $1.at }
        let used = live.reduce(0) { $0 + $1.amount }
        return assess(sortedLive: live, used: used, window: window, max: max, amount: amount, now: now)
    }

    /// The same rule for a store that keeps its live events in time order and knows their sum,
    /// so the common case costs no sorting and no pass over the events.
    public static func assess<S: Sequence<Event>>(sortedLive live: S, used: Double, window: Double, max: Int,
                                                  amount: Double, now: Double) -> Assessment {
        let limit = Double(max)
        var iterator = live.makeIterator()
        let first = iterator.next()
        let resetsIn = first.map { Swift.max(0, $0.at + window - now) }
        if used + amount <= limit + tolerance {
            return Assessment(used: used, fits: true, retryAfter: nil, resetsIn: resetsIn)
        }
        guard amount <= limit + tolerance else {
            return Assessment(used: used, fits: false, retryAfter: nil, resetsIn: resetsIn)
        }
        // The call fits once enough of the oldest charges have left the window.
        var remaining = used
        var next = first
        while let e = next {
            remaining -= e.amount
            if remaining + amount <= limit + tolerance {
                return Assessment(used: used, fits: false, retryAfter: Swift.max(0, e.at + window - now), resetsIn: resetsIn)
            }
            next = iterator.next()
        }
        return Assessment(used: used, fits: false, retryAfter: nil, resetsIn: resetsIn)
    }
}
