import GatehouseCore

/// How recently resolved held calls ended and who did it, so a late keypress on one can be
/// answered with "already approved by bob" without asking the gateway. Bounded: FIFO.
public struct ResolutionBook: Sendable {
    public let capacity: Int
    private var notes: [CallKey: String] = [:]
    private var order: [CallKey] = []
    private var start = 0

    public init(capacity: Int = 512) { self.capacity = capacity }

    public func note(for key: CallKey) -> String? { notes[key] }

    public mutating func record(_ key: CallKey, _ note: String) {
        if notes.updateValue(note, forKey: key) == nil {
            order.append(key)
            if order.count - start > capacity {
                notes[order[start]] = nil
                start += 1
                if start >= capacity {
                    order.removeFirst(start)
                    start = 0
                }
            }
        }
    }

    /// "approved by bob (session)", "denied by alice: too big", "timed out", ...
    public static func describe(_ r: ControlEvent.Resolution) -> String {
        var s = r.outcome.replacingUnderscores()
        if let by = r.by, !by.isEmpty, r.outcome != "timed_out" { s += " by \(by)" }
        if let scope = r.scope, !scope.isEmpty, scope != "once", r.outcome == "approved" { s += " (\(scope))" }
        if let reason = r.reason, !reason.isEmpty { s += ": \(reason)" }
        return s
    }

    /// The same, from a finished call record.
    public static func describe(_ r: CallRecord) -> String {
        let status = CallStatus(r)
        // The gateway's own reasons often name the operator already ("Denied by operator bob: ...").
        if let reason = r.reason, !reason.isEmpty, let by = r.approver, reason.contains(by) {
            return status.label + ": " + reason
        }
        var s = status.label
        if let by = r.approver, !by.isEmpty, by != CallStatus.timeoutApprover { s += " by \(by)" }
        if status == .allowed, r.approver == CallStatus.timeoutApprover { s += " when the approval timed out" }
        if let scope = r.approvalScope, !scope.isEmpty, scope != "once", status == .approved { s += " (\(scope))" }
        if let reason = r.reason, !reason.isEmpty, status != .allowed, status != .approved { s += ": \(reason)" }
        return s
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
