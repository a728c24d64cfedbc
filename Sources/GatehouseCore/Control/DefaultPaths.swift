/// Where gateways put their control sockets and state, computed from the environment alone so
/// the gateway, `ctl` and the dashboard always agree.
public enum DefaultPaths {
    /// `$XDG_RUNTIME_DIR/gatehouse`, else `${TMPDIR:-/tmp}/gatehouse-UID`.
    public static func controlDirectory(environment: [String: String], uid: UInt32) -> String {
        if let run = environment["XDG_RUNTIME_DIR"], !run.isEmpty { return join(run, "gatehouse") }
        let tmp = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return join(tmp, "gatehouse-\(uid)")
    }

    public static func controlSocket(name: String, environment: [String: String], uid: UInt32) -> String {
        join(controlDirectory(environment: environment, uid: uid), "\(name).sock")
    }

    /// `$XDG_STATE_HOME/gatehouse`, else `~/.local/state/gatehouse`.
    public static func stateDirectory(environment: [String: String], home: String) -> String {
        if let s = environment["XDG_STATE_HOME"], !s.isEmpty { return join(s, "gatehouse") }
        return join(join(home, ".local/state"), "gatehouse")
    }

    /// A gateway name usable as a file name: letters, digits, `-`, `_` and `.`.
    public static func sanitizedName(_ name: String) -> String {
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" })
        return cleaned.isEmpty || cleaned.allSatisfy({ $0 == "." }) ? "gateway" : cleaned
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }
}
