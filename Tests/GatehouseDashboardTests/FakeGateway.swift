import Foundation
import GatehouseCore
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in gateway control socket for event-loop tests: answers hello and subscribe
/// with a snapshot, pushes events on request, records the requests it gets, answers them,
/// and can drop the connection or go away and come back, like a restarting gateway.
final class FakeGateway: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var conn: Int32 = -1
    private var thread: Thread?
    private var stopping = false
    private var received: [JSONValue] = []
    private var seq: UInt64
    let snapshot: Snapshot
    /// How requests other than hello/subscribe are answered; default: an error.
    var respond: @Sendable (JSONValue) -> String = { req in
        #"{"jsonrpc":"2.0","id":\#(req["id"]?.intValue ?? 0),"error":{"code":-32003,"message":"already resolved"}}"#
    }

    init(path: String, snapshot: Snapshot) throws {
        self.path = path
        self.snapshot = snapshot
        seq = snapshot.seq
        try listen()
    }

    var requests: [JSONValue] { lock.lock(); defer { lock.unlock() }; return received }
    var connected: Bool { lock.lock(); defer { lock.unlock() }; return conn >= 0 }

    /// Sends an event notification with the next sequence number.
    func push(_ build: (UInt64) -> ControlEvent) {
        lock.lock()
        seq += 1
        let e = build(seq)
        let fd = conn
        lock.unlock()
        guard fd >= 0 else { return }
        let params = String(decoding: try! JSONEncoder().encode(e), as: UTF8.self)
        writeLine(fd, #"{"jsonrpc":"2.0","method":"event","params":\#(params)}"#)
    }

    /// Drops the connection and the socket file, as a gateway that exits.
    func stop() {
        lock.lock()
        stopping = true
        let (l, c) = (listener, conn)
        listener = -1
        conn = -1
        lock.unlock()
        if c >= 0 { shutdown(c, Int32(SHUT_RDWR)); close(c) }
        if l >= 0 { shutdown(l, Int32(SHUT_RDWR)); close(l) }
        while thread?.isFinished == false { usleep(1000) }
        unlink(path)
    }

    /// Listens again at the same path, as a restarted gateway.
    func restart() throws {
        stop()
        try listen()
    }

    private func listen() throws {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0, Glibc.listen(fd, 4) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        lock.lock()
        listener = fd
        stopping = false
        lock.unlock()
        let t = Thread { [unowned self] in self.serve(fd) }
        thread = t
        t.start()
    }

    private func serve(_ listenFD: Int32) {
        while true {
            let c = accept(listenFD, nil, nil)
            guard c >= 0 else { return }
            lock.lock()
            if stopping { lock.unlock(); close(c); return }
            conn = c
            lock.unlock()
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            reading: while true {
                let n = read(c, &chunk, chunk.count)
                if n <= 0 { break reading }
                buffer += chunk[..<n]
                while let nl = buffer.firstIndex(of: 10) {
                    let line = Array(buffer[..<nl])
                    buffer.removeSubrange(...nl)
                    guard let req = try? JSONParser.parse(line) else { continue }
                    handle(req, fd: c)
                }
            }
            lock.lock()
            if conn == c { conn = -1; close(c) }
            let stop = stopping
            lock.unlock()
            if stop { return }
        }
    }

    private func handle(_ req: JSONValue, fd: Int32) {
        let id = req["id"]?.intValue ?? 0
        switch req["method"]?.stringValue {
        case "hello":
            let hello = HelloResult(protocolVersion: 1, gateway: snapshot.gateway, operatorName: "tester")
            writeLine(fd, #"{"jsonrpc":"2.0","id":\#(id),"result":\#(json(hello))}"#)
        case "subscribe":
            lock.lock()
            var snap = snapshot
            snap.seq = seq
            lock.unlock()
            writeLine(fd, #"{"jsonrpc":"2.0","id":\#(id),"result":\#(json(snap))}"#)
        default:
            lock.lock()
            received.append(req)
            lock.unlock()
            writeLine(fd, respond(req))
        }
    }

    private func json<T: Encodable>(_ v: T) -> String { String(decoding: try! JSONEncoder().encode(v), as: UTF8.self) }

    private func writeLine(_ fd: Int32, _ text: String) {
        let bytes = Array((text + "\n").utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }
}
