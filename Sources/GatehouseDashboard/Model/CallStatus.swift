import GatehouseCore

/// What happened to a call, in the words, glyphs and colours the operator reads. Derived
/// from the record's outcome plus who released it: the wire says `ok`, the operator wants
/// to know whether a person approved it.
public enum CallStatus: String, CaseIterable, Hashable, Sendable {
    case allowed, approved, held, denied, rateLimited, timedOut, cancelled, errored

    public init(_ r: CallRecord) {
        switch r.outcome {
        case .held: self = .held
        case .forwarded, .ok:
            if r.outcome == .ok, r.resultIsError == true {
                self = .errored
            } else if let a = r.approver, a != Self.timeoutApprover {
                self = .approved
            } else {
                self = .allowed
            }
        case .error: self = .errored
        case .denied: self = .denied
        case .rateLimited: self = .rateLimited
        case .timedOut: self = .timedOut
        case .cancelled: self = .cancelled
        }
    }

    /// The approver the gateway records when `on_timeout: allow` lets a held call through.
    static let timeoutApprover = "timeout"

    public var label: String {
        switch self {
        case .allowed: "allowed"
        case .approved: "approved"
        case .held: "held"
        case .denied: "denied"
        case .rateLimited: "rate-limited"
        case .timedOut: "timed out"
        case .cancelled: "cancelled"
        case .errored: "error"
        }
    }

    public var style: Style {
        switch self {
        case .allowed: .allowed
        case .approved: .approved
        case .held: .held
        case .denied: .denied
        case .rateLimited: .rateLimited
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        case .errored: .errored
        }
    }

    public func glyph(_ g: Glyphs) -> String {
        switch self {
        case .allowed: g.allowed
        case .approved: g.approved
        case .held: g.held
        case .denied: g.denied
        case .rateLimited: g.rateLimited
        case .timedOut: g.timedOut
        case .cancelled: g.cancelled
        case .errored: g.errored
        }
    }

    /// Widest label, for the stream's decision column.
    public static let labelWidth = allCases.map { $0.label.count }.max() ?? 0
}
