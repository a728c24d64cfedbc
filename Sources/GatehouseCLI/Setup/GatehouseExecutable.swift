import Foundation

/// Where the running gatehouse binary is, for commands that start it again (the demo) or write
/// it into other programs' configuration (install-snippet, wrap-config).
enum GatehouseExecutable {
    /// The binary actually running, symlinks resolved: what the demo re-executes.
    static func running() -> String {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), exe.hasPrefix("/") {
            return exe
        }
        return invoked()
    }

    /// The path it was started by, made absolute but with symlinks kept, so a configuration
    /// written now still works after a package manager swaps the binary behind the link.
    static func invoked(argv0: String = CommandLine.arguments.first ?? "gatehouse",
                        cwd: String = FileManager.default.currentDirectoryPath,
                        path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> String {
        if argv0.hasPrefix("/") { return normalized(argv0) }
        if argv0.contains("/") { return normalized(cwd + "/" + argv0) }
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + argv0
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate.hasPrefix("/") ? normalized(candidate) : normalized(cwd + "/" + candidate)
            }
        }
        // Not found by name: the kernel still knows.
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? argv0
    }

    /// Removes `.` and `..` and doubled slashes without touching symlinks.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            switch p {
            case ".", "": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(p)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
