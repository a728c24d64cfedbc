import Foundation

/// Command-line options and scratch space shared by the benches.
enum Options {
    static func int(_ args: [String], _ name: String) -> Int? { string(args, name).flatMap { Int($0) } }

    static func string(_ args: [String], _ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return args[i + 1]
    }

    /// This executable, so the benches can start it again in its helper modes.
    static func selfPath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A fresh private directory under /tmp (short, so socket paths fit).
    static func tempDirectory(_ tag: String) -> String {
        var template = Array("/tmp/ghb-\(tag)-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { fatalError("mkdtemp failed") }
        return String(cString: p)
    }
}

/// Fixed-width columns for the text reports.
enum Table {
    static func row(_ cells: [String]) -> String {
        var out = ""
        for (k, c) in cells.enumerated() {
            let width = k == 0 ? 19 : 9
            out += k == 0 ? c.padding(toLength: width, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(1, width - c.count)) + c
        }
        return out
    }
}
