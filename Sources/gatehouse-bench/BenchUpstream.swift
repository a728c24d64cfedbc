#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse-bench upstream`: the smallest MCP server that still speaks the protocol. It answers
/// initialize, tools/list and tools/call at once with fixed bytes, echoing the request id, so a
/// bench through it measures the path in front of it, not the server.
enum BenchUpstream {
    static let tools = Array(#"{"tools":[{"name":"echo","description":"Answers ok at once.","inputSchema":{"type":"object","properties":{"text":{"type":"string"}}}}]}"#.utf8)
    static let callResult = Array(#"{"content":[{"type":"text","text":"ok"}],"isError":false}"#.utf8)

    /// With `stamp`, a call's result text is "ok" and the monotonic nanosecond it arrived, so a
    /// bench can time a path that ends at the upstream (see `ApprovalBench`).
    static func run(stamp: Bool = false) -> Never {
        let input = RawLines(fd: 0)
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var alive = true
        while alive, input.next({ line in
            guard let idAt = Scan.value(of: "id", in: line) else { return }  // a notification: no answer
            let id = Scan.token(at: idAt, in: line)
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
            out.append(contentsOf: id)
            out.append(contentsOf: #","result":"#.utf8)
            if Scan.contains(#""tools/call""#, in: line) {
                if stamp {
                    out.append(contentsOf: #"{"content":[{"type":"text","text":"ok "#.utf8)
                    out.append(contentsOf: String(nowNanos()).utf8)
                    out.append(contentsOf: #""}],"isError":false}"#.utf8)
                } else {
                    out.append(contentsOf: callResult)
                }
            } else if Scan.contains(#""tools/list""#, in: line) {
                out.append(contentsOf: tools)
            } else if Scan.contains(#""initialize""#, in: line) {
                // Answer with the version the client asked for, so any SDK client accepts it.
                var version = Array(#""2025-06-18""#.utf8)
                if let v = Scan.value(of: "protocolVersion", in: line) { version = Array(Scan.token(at: v, in: line)) }
                out.append(contentsOf: #"{"protocolVersion":"#.utf8)
                out.append(contentsOf: version)
                out.append(contentsOf: #","capabilities":{"tools":{"listChanged":false}},"serverInfo":{"name":"bench-upstream","version":"1.0"}}"#.utf8)
            } else if Scan.value(of: "method", in: line) != nil {
                out.append(contentsOf: "{}".utf8)  // ping and anything else asked of us
            } else {
                return  // a response to a request we never sent
            }
            out.append(contentsOf: "}\n".utf8)
            if !writeAll(1, out) { alive = false }
        }) {}
        exit(0)
    }
}
