#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatehouseCore

/// How numbers, times and countdowns read on the dashboard. Pure functions, shared by the
/// model's messages and the views, so a test can say exactly what the operator sees.
public enum Format {
    /// Which clock timestamps are shown in (tests pin UTC).
    public enum Zone: Hashable, Sendable { case local, utc }

    /// `12,345`
    public static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Calls per second: `0`, `0.4`, `12`, `3.4k`.
    public static func rate(_ r: Double) -> String {
        guard r.isFinite, r > 0 else { return "0" }
        if r < 10 { return oneDecimal(r) }
        if r < 1000 { return String(Int(r.rounded())) }
        return oneDecimal(r / 1000) + "k"
    }

    /// A countdown: `42s`, `4m05s`, `1h02m`; never negative.
    public static func countdown(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        return "\(s / 3600)h" + pad2((s % 3600) / 60) + "m"
    }

    /// What happens to a held call if nobody decides, and when: `deny in 42s`.
    public static func deadline(_ p: PendingApproval, now: Double) -> String {
        let left = p.expiresAt - now
        let action = p.onTimeout == "allow" ? "allow" : "deny"
        if left <= 0 { return action == "allow" ? "allowing…" : "denying…" }
        return "\(action) in \(countdown(left))"
    }

    /// Upstream latency: `850µs`, `3ms`, `120ms`, `1.2s`; blank when unknown.
    public static func latency(_ ms: Double?) -> String {
        guard let ms, ms.isFinite, ms >= 0 else { return "" }
        if ms < 1 { return "\(Int((ms * 1000).rounded()))µs" }
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        return oneDecimal(ms / 1000) + "s"
    }

    /// `14:02:11`
    public static func clock(_ epoch: Double, zone: Zone) -> String {
        var t = time_t(epoch.rounded(.down))
        var parts = tm()
        switch zone {
        case .local: localtime_r(&t, &parts)
        case .utc: gmtime_r(&t, &parts)
        }
        return pad2(Int(parts.tm_hour)) + ":" + pad2(Int(parts.tm_min)) + ":" + pad2(Int(parts.tm_sec))
    }

    /// A counter's usage: `3/10`, `2.5/100`.
    public static func usage(_ c: CounterInfo) -> String {
        Decision.formatAmount(c.used) + "/" + String(c.max)
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
