/// The rolling-window rule, shared by every counter store so they cannot disagree.
///
/// A charge made at time `t` counts while `now - window < t`, i.e. for exactly `window`
/// seconds. A new charge is accepted only if the charges in `(now - window, now]` plus the
/// new one stay within `max`. Hence, for every time `T`, the accepted charges in
/// `(T - window, T]` never exceed `max`: the guarantee `docs/policy.md` states.
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

    /// Whether `amount` more fits now. `events` may be in any order and may include expired ones.
    public static func assess(events: [Event], window: Double, max: Int, amount: Double, now: Double) -> Assessment {
        let live = events.filter { $0.at > now - window }.sorted { $0.at < $1.at }
        let used = live.reduce(0) { $0 + $1.amount }
        let limit = Double(max)
        let resetsIn = live.first.map { Swift.max(0, $0.at + window - now) }
        // A tiny tolerance so that ten charges of 0.1 fill a max of 1 exactly.
        if used + amount <= limit + 1e-9 {
            return Assessment(used: used, fits: true, retryAfter: nil, resetsIn: resetsIn)
        }
        guard amount <= limit + 1e-9 else {
            return Assessment(used: used, fits: false, retryAfter: nil, resetsIn: resetsIn)
        }
        var remaining = used
        for e in live {
            remaining -= e.amount
            if remaining + amount <= limit + 1e-9 {
                return Assessment(used: used, fits: false, retryAfter: Swift.max(0, e.at + window - now), resetsIn: resetsIn)
            }
        }
        return Assessment(used: used, fits: false, retryAfter: nil, resetsIn: resetsIn)
    }
}
