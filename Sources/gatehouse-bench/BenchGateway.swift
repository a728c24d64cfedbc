import Foundation

/// A `gatehouse serve` process in front of the bench upstream, in its own scratch directory,
/// for the benches that also need its control socket.
struct BenchGateway {
    let chain: BenchChain
    let control: String
    let directory: String

    static func start(policy: String, tag: String, args: [String], upstream extra: [String] = []) -> BenchGateway {
        let me = Options.selfPath()
        let gatehouse = Options.string(args, "--gatehouse") ?? (me as NSString).deletingLastPathComponent + "/gatehouse"
        let dir = Options.tempDirectory(tag)
        let policyPath = dir + "/policy.json"
        try? policy.write(toFile: policyPath, atomically: false, encoding: .utf8)
        let control = dir + "/control.sock"
        let command = [gatehouse, "serve", "--policy", policyPath, "--state-dir", dir + "/state", "--control", control,
                       "--name", tag, "--log-level", "warning", "--", me, "upstream"] + extra
        do {
            let chain = try BenchChain(name: tag, command: command, log: dir + "/stderr.log")
            if let problem = chain.handshake(check: false) { BenchChain.die("\(tag): \(problem)") }
            return BenchGateway(chain: chain, control: control, directory: dir)
        } catch {
            BenchChain.die("\(tag): cannot start \(gatehouse): \(error)")
        }
    }

    func stop() {
        chain.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
