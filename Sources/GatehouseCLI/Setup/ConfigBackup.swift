import Foundation

/// A copy of a configuration file next to it, named by the time it was taken, made before the
/// file is rewritten: `claude_desktop_config.json.bak-20260301-142233`.
enum ConfigBackup {
    static func name(for path: String, at date: Date = Date()) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .current
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
                           c.second ?? 0)
        return "\(path).bak-\(stamp)"
    }

    /// Copies `path` to a backup that does not exist yet and returns the backup's path.
    static func make(of path: String, at date: Date = Date()) throws -> String {
        let base = name(for: path, at: date)
        var candidate = base
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        try FileManager.default.copyItem(atPath: path, toPath: candidate)
        return candidate
    }
}
