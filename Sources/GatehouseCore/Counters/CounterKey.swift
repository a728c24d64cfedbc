/// One budget: a counter name, measured for one subject of its scope.
public struct CounterKey: Sendable, Hashable, CustomStringConvertible {
    public var counter: String
    public var scope: CounterScope
    /// The grant or session id the budget belongs to; `*` for global counters.
    public var subject: String

    public init(counter: String, scope: CounterScope, subject: String) {
        self.counter = counter
        self.scope = scope
        self.subject = scope == .global ? "*" : subject
    }

    public init(limit: Limit, call: CallContext) {
        switch limit.scope {
        case .grant: self.init(counter: limit.counter, scope: .grant, subject: call.grant)
        case .session: self.init(counter: limit.counter, scope: .session, subject: call.session)
        case .global: self.init(counter: limit.counter, scope: .global, subject: "*")
        }
    }

    /// `orders_rate[grant:alice]`
    public var description: String {
        scope == .global ? "\(counter)[global]" : "\(counter)[\(scope.rawValue):\(subject)]"
    }
}

/// What one call would add to one counter.
public struct CounterCharge: Sendable, Hashable {
    public var key: CounterKey
    public var window: Double
    public var max: Int
    public var amount: Double

    public init(key: CounterKey, window: Double, max: Int, amount: Double) {
        self.key = key
        self.window = window
        self.max = max
        self.amount = amount
    }
}

/// Charges taken for a call before it is forwarded; committed on success, rolled back on failure.
public struct Reservation: Sendable, Hashable {
    public var id: String
    public var charges: [CounterCharge]
    public var at: Double

    public init(id: String, charges: [CounterCharge], at: Double) {
        self.id = id
        self.charges = charges
        self.at = at
    }
}

/// Why a reservation was refused: the first counter that would go over.
public struct CounterBreach: Sendable, Hashable {
    public var charge: CounterCharge
    /// What the window already holds, before this call.
    public var used: Double
    /// Seconds until enough of the window expires for this call to fit; nil if it never can.
    public var retryAfter: Double?

    public init(charge: CounterCharge, used: Double, retryAfter: Double?) {
        self.charge = charge
        self.used = used
        self.retryAfter = retryAfter
    }
}

/// A counter's state for display: used/max and when the oldest charge leaves the window.
public struct CounterUsage: Sendable, Hashable {
    public var key: CounterKey
    public var used: Double
    public var max: Int
    public var window: Double
    /// Seconds until the oldest charge in the window expires; nil when the window is empty.
    public var resetsIn: Double?

    public init(key: CounterKey, used: Double, max: Int, window: Double, resetsIn: Double?) {
        self.key = key
        self.used = used
        self.max = max
        self.window = window
        self.resetsIn = resetsIn
    }
}

public enum ReserveOutcome: Sendable, Hashable {
    case reserved(Reservation)
    case exceeded(CounterBreach)
}
