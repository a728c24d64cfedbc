import Foundation
import GatehouseTransport
#if canImport(Glibc)
import Glibc
#endif

/// One way of reaching the fake upstream (directly, through the relay, through a gateway), as a
/// running process chain the client talks MCP to over its stdin and stdout.
final class BenchChain {
    let name: String
    let child: ChildProcess
    let output: RawLines
    private var nextID = 2
    /// Told of progress every 1,024 answers, when set.
    var watchdog: Watchdog?
    private var request: [UInt8] = []

    /// Starts `command` with its stderr appended to `log` (gateways log to stderr).
    init(name: String, command: [String], log: String) throws {
        self.name = name
        child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "exec \"$@\" 2>>'\(log)'", "sh"] + command)
        output = RawLines(fd: child.stdoutDescriptor)
        request.reserveCapacity(256)
    }

    var inputFD: Int32 { child.stdin.fileDescriptor }

    /// initialize, initialized, tools/list; returns what went wrong, if anything.
    func handshake(check: Bool = true) -> String? {
        let initialize = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"gatehouse-bench","version":"1"}}}"#
        guard let a = exchange(initialize, id: 0) else { return "no answer to initialize" }
        guard Scan.containsText("protocolVersion", a) else { return "bad initialize answer: " + String(decoding: a.prefix(300), as: UTF8.self) }
        writeAll(inputFD, Array((#"{"jsonrpc":"2.0","method":"notifications/initialized"}"# + "\n").utf8))
        guard let l = exchange(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, id: 1) else { return "no answer to tools/list" }
        guard Scan.containsText("\"echo\"", l) else { return "tools/list lacks echo: " + String(decoding: l.prefix(300), as: UTF8.self) }
        // One call, checked in full, before anything is timed.
        guard check else { return nil }
        guard let c = exchange(#"{"jsonrpc":"2.0","id":"check","method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}"#, id: nil),
              Scan.containsText("\"ok\"", c) else { return "the first tools/call did not succeed" }
        return nil
    }

    private func exchange(_ text: String, id: Int?) -> [UInt8]? {
        guard writeAll(inputFD, Array((text + "\n").utf8)) else { return nil }
        while let line = output.nextLine() {
            let matches: Bool = line.withUnsafeBufferPointer { b in
                id.map { Scan.intID(b) == $0 } ?? Scan.contains(#""check""#, in: b)
            }
            if matches { return line }
        }
        return nil
    }

    /// Writes the next `tools/call` (ids count up from 2); returns its id.
    @inline(__always)
    func send() -> Int {
        let id = nextID
        nextID += 1
        request.removeAll(keepingCapacity: true)
        request.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        request.append(contentsOf: String(id).utf8)
        request.append(contentsOf: #","method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}"#.utf8)
        request.append(0x0A)
        if !writeAll(inputFD, request) { BenchChain.die("\(name): the chain stopped reading") }
        return id
    }

    /// Reads answers until one to a call arrives; returns its id (and whether it was ok).
    @inline(__always)
    func receive() -> (id: Int, ok: Bool) {
        var result: (Int, Bool)?
        while result == nil {
            let more = output.next { line in
                guard let id = Scan.intID(line) else { return }  // a notification
                result = (id, Scan.contains(#""ok""#, in: line) && !Scan.contains(#""isError":true"#, in: line))
            }
            if !more { BenchChain.die("\(name): the chain closed its output") }
        }
        if result!.0 & 1023 == 0 { watchdog?.progress() }
        return result!
    }

    /// Ends the chain the way a client does: close its input, then wait (and insist if needed).
    func stop() {
        child.closeStdin()
        if child.waitForExit(timeout: .seconds(5)) == nil { child.terminate(grace: .seconds(2)) }
    }

    static func die(_ message: String) -> Never {
        warn("gatehouse-bench: \(message)")
        exit(1)
    }
}

extension Scan {
    static func containsText(_ needle: String, _ bytes: [UInt8]) -> Bool {
        let n = Array(needle.utf8)
        return bytes.withUnsafeBufferPointer { b in
            n.withUnsafeBufferPointer { findBytes(b.baseAddress!, b.count, $0.baseAddress!, $0.count) != nil }
        }
    }
}

/// Monotonic nanoseconds.
@inline(__always)
func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
