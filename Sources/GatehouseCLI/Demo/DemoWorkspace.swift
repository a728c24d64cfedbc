import Foundation
import GatehouseDemo

/// The demo's private temporary directory: policy, gateway state and control socket.
/// Everything the demo writes lives here, so removing it leaves nothing behind.
struct DemoWorkspace: Sendable {
    let root: String

    var policy: String { root + "/" + DemoPolicy.fileName }
    var state: String { root + "/state" }
    var socket: String { root + "/run/exchange.sock" }
    /// Where the gateway's stderr goes while the dashboard owns the terminal.
    var log: String { root + "/gateway.log" }

    /// Creates a fresh directory (mode 0700) under $TMPDIR, or /tmp when $TMPDIR is too long
    /// for a Unix socket path (108 bytes at most), and writes the demo policy into it.
    static func create(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DemoWorkspace {
        var base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        if base.utf8.count > 60 { base = "/tmp" }
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/gatehouse-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw DemoError("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        let ws = DemoWorkspace(root: String(cString: made))
        do {
            for dir in [ws.state, ws.root + "/run"] {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
            }
            try Data(DemoPolicy.text.utf8).write(to: URL(fileURLWithPath: ws.policy))
        } catch {
            ws.remove()
            throw DemoError("cannot prepare \(ws.root): \(error.localizedDescription)")
        }
        return ws
    }

    /// Removes the directory and everything in it; safe to call twice.
    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    var exists: Bool { FileManager.default.fileExists(atPath: root) }
}

/// A failure of the demo itself, told in a sentence.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
