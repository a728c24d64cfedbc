import Foundation
import GatehouseCore

/// How headless `gatehouse demo` prints a call: time, tool, the policy's decision and what came of it.
/// A held call gets a line when it is held (with the id to approve it by) and another when it ends.
enum DemoCallLine {
    /// Nil for states not worth a line (forwarded: its answer follows in a moment).
    static func line(_ c: CallRecord, timeZone: TimeZone = .current) -> String? {
        guard c.outcome != .forwarded else { return nil }
        let time = clock(c.receivedAt, timeZone: timeZone)
        let tool = c.tool.padding(toLength: max(18, c.tool.count), withPad: " ", startingAt: 0)
        // "allow → ok", "hold → timed_out"; a refusal is its own outcome, so it is said once.
        let verdict = c.decision == c.outcome.rawValue ? c.decision : "\(c.decision) → \(c.outcome.rawValue)"
        var s = "\(time)  \(tool)  \(verdict.padding(toLength: max(24, verdict.count), withPad: " ", startingAt: 0))"
        switch c.outcome {
        case .held:
            s += "  id \(c.id)"
        case .ok:
            if c.resultIsError == true { s += "  (tool error)" }
            if let by = c.approver { s += "  approved by \(by)" }
            if let p = c.resultPreview { s += "  " + oneLine(p, max: 90) }
        default:
            if let r = c.reason { s += "  " + oneLine(r, max: 140) }
        }
        return s
    }

    static func clock(_ t: Double, timeZone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let d = cal.dateComponents([.hour, .minute, .second], from: Date(timeIntervalSince1970: t))
        return String(format: "%02d:%02d:%02d", d.hour ?? 0, d.minute ?? 0, d.second ?? 0)
    }

    static func oneLine(_ s: String, max: Int) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > max ? String(flat.prefix(max - 1)) + "…" : flat
    }
}
