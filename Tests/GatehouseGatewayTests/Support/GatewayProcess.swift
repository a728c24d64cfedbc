import Foundation
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Testing

/// A real `gatehouse serve` process, with its stdin/stdout as pipes the test holds, a policy
/// file, a state directory and a control socket in a temporary directory.
final class GatewayProcess: Sendable {
    let directory: TemporaryDirectory
    let policyPath: String
    let stateDirectory: String
    let controlPath: String
    let child: ChildProcess

    init(policy: String, upstream: [String], name: String = "e2e", extraArguments: [String] = []) throws {
        let gatehouse = try BuiltProducts.executable("gatehouse")
        directory = try TemporaryDirectory(prefix: "ghe2e")
        policyPath = try directory.write("policy.json", policy)
        stateDirectory = directory.file("state")
        controlPath = directory.file("ctl.sock")
        child = try ChildProcess.spawn(gatehouse, arguments: [
            "serve", "--policy", policyPath, "--state-dir", stateDirectory, "--control", controlPath, "--name", name,
            "--log-level", "error",
        ] + extraArguments + ["--"] + upstream)
    }

    deinit {
        child.closeStdin()
        if child.waitForExit(timeout: .seconds(10)) == nil { child.terminate(grace: .seconds(2)) }
    }

    /// Sends one line to the gateway's stdin.
    func send(_ value: JSONValue) throws { try child.stdin.writeLine(JSONWriter.bytes(value)) }

    /// The next line the gateway wrote to stdout, as JSON; nil at end of stream or after `timeout`.
    func next(within timeout: Duration = testPatience) throws -> JSONValue? {
        let child = child
        let event = try withWatchdog(timeout, onTimeout: { child.terminate(grace: .seconds(1)) }) { try child.stdout.next() }
        guard case .line(let bytes)? = event else { return nil }
        return try JSONParser.parse(bytes)
    }

    /// Reads lines until the answer to `id` arrives.
    func answer(_ id: JSONValue, within timeout: Duration = testPatience) throws -> JSONValue? {
        while let m = try next(within: timeout) {
            if m["id"] == id, m["method"] == nil { return m }
        }
        return nil
    }

    /// Closes the gateway's stdin (the client hangs up) and returns how it exited.
    func hangUp() -> ChildExitStatus? {
        child.closeStdin()
        return child.waitForExit(timeout: testPatience)
    }

    /// Waits for the control socket to appear (the gateway opens it as it starts).
    func waitForControlSocket() -> Bool {
        waitUntil { FileManager.default.fileExists(atPath: controlPath) }
    }
}
