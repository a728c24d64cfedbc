import GatehouseCore

/// `gatehouse policy check`: validates policy files and reports every diagnostic.
public enum PolicyCheck {
    /// Checks each file. Exit status: 0 when all are valid, 1 when any has errors, 2 when any
    /// cannot be read (the worst wins).
    public static func run(files: [String], json: Bool, format: PolicyLoader.Format? = nil,
                           read: PolicyFileReader = PolicyFiles.read) -> PolicyCommandOutput {
        var out = PolicyCommandOutput()
        var reports: [JSONValue] = []
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try read(file)
            } catch {
                let d = Diagnostic(.error, "cannot read the file: \(error)", path: .root, file: file)
                out.exitCode = max(out.exitCode, PolicyExitCode.unreadable)
                if json {
                    reports.append(["file": .string(file), "valid": false, "diagnostics": [d.json]])
                } else {
                    out.stderr += "\(file): error: cannot read the file: \(error)\n"
                }
                continue
            }
            let result = PolicyLoader.load(bytes: bytes, file: file, format: format)
            if result.policy == nil { out.exitCode = max(out.exitCode, PolicyExitCode.invalid) }
            if json {
                reports.append([
                    "file": .string(file), "valid": .bool(result.policy != nil),
                    "diagnostics": .array(result.diagnostics.map(\.json)),
                ])
                continue
            }
            for d in result.diagnostics { out.stderr += d.description + "\n" }
            if let policy = result.policy {
                out.stdout += "\(file): ok (\(summary(policy, warnings: result.warnings.count)))\n"
            } else {
                let n = result.errors.count
                out.stderr += "\(file): invalid (\(n) \(n == 1 ? "error" : "errors"))\n"
            }
        }
        if json { out.stdout = JSONWriter.pretty(.array(reports)) + "\n" }
        return out
    }

    /// `default deny, 3 tools, 2 counters`, plus hidden tools and warnings when there are any.
    static func summary(_ p: Policy, warnings: Int) -> String {
        var parts = ["default \(p.defaultAction)", plural(p.tools.count, "tool"), plural(p.counters.count, "counter")]
        if !p.hide.isEmpty { parts.append("\(p.hide.count) hidden") }
        if warnings > 0 { parts.append(plural(warnings, "warning")) }
        return parts.joined(separator: ", ")
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
