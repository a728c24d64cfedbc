import Foundation
import GatehouseCore

/// A real `gatehouse serve` in front of a real MCP server, with the test as its MCP client
/// speaking raw JSON-RPC on the gateway's stdin and stdout.
final class GatewayProcess: @unchecked Sendable {
    /// `GATEHOUSE_BIN` (as the peer tests use), else the debug build.
    static var binary: String {
        let env = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"] ?? ""
        return env.isEmpty ? Repo.path(".build/debug/gatehouse") : env
    }
    static var pythonBin: String {
        let env = ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON_BIN_DIR"] ?? ""
        return env.isEmpty ? "/work/venv/bin" : env
    }
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: binary)
            && FileManager.default.isExecutableFile(atPath: pythonBin + "/mcp-server-time")
    }

    let pid: pid_t
    private let toGateway: Int32
    private let fromGateway: Int32
    private let lock = NSLock()
    private var lines: [JSONValue] = []
    private var nextID = 100
    private var reader: Thread?

    /// - Parameters: `socket` for the control socket, `state` for the state directory.
    init(name: String, policy: String, socket: String, state: String, log: String) throws {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw POSIXError(.EMFILE) }
        // Close-on-exec: no other child may inherit the ends (the gateway would never see end of input).
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let logFD = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            close(input[0])
            close(output[1])
            close(logFD)
        }
        pid = try Spawn.start([Self.binary, "serve", "--policy", policy, "--name", name, "--state-dir", state, "--control", socket,
                               "--progress-interval", "0", "--", Self.pythonBin + "/mcp-server-time", "--local-timezone", "UTC"],
                              stdin: input[0], stdout: output[1], stderr: logFD)
        toGateway = input[1]
        fromGateway = output[0]
        let t = Thread { [unowned self] in self.readLoop() }
        reader = t
        t.start()
    }

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fromGateway, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[..<n]
            while let nl = buffer.firstIndex(of: 10) {
                let line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                if let v = try? JSONParser.parse(line) {
                    lock.lock()
                    lines.append(v)
                    lock.unlock()
                }
            }
        }
    }

    func send(_ json: String) {
        let bytes = Array((json + "\n").utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(toGateway, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            off += n
        }
    }

    /// The answer with this id, waiting up to `limit` seconds.
    func response(_ id: Int, limit: Double = 30) -> JSONValue? {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            lock.lock()
            let hit = lines.first { $0["id"]?.intValue == id && $0["method"] == nil }
            lock.unlock()
            if let hit { return hit }
            usleep(20_000)
        }
        return nil
    }

    func initialize() -> Bool {
        send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"dash-e2e","version":"1"}}}"#)
        guard response(1) != nil else { return false }
        send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        send(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        return response(2) != nil
    }

    /// Sends a tools/call and returns its id (the answer may take an operator).
    func call(_ tool: String, _ arguments: String) -> Int {
        lock.lock()
        nextID += 1
        let id = nextID
        lock.unlock()
        send(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":\#(arguments)}}"#)
        return id
    }

    /// The text of a tools/call result and whether it is an error.
    static func text(_ response: JSONValue?) -> (text: String, isError: Bool)? {
        guard let result = response?["result"] else { return nil }
        let text = (result["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        return (text, result["isError"]?.boolValue ?? false)
    }

    /// Ends the client's side (the gateway sees end of input), then stops the gateway and
    /// its upstream; closes our ends once its output is drained.
    func stop() {
        close(toGateway)
        Spawn.stop(pid)
        while reader?.isFinished == false { usleep(5_000) }
        close(fromGateway)
    }
}
