import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct UnixSocketConnectionTests {
    /// Answers every line with the same line, until the client hangs up.
    private func echoServer(at path: String) throws -> UnixSocketServer {
        try UnixSocketServer.listen(path: path) { connection in
            defer { connection.close() }
            while case .line(let bytes)? = try? connection.reader.next() {
                guard (try? connection.send(bytes)) != nil else { return }
            }
        }
    }

    @Test func linesMakeTheRoundTrip() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let server = try echoServer(at: path)
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }

        let messages = (0..<500).map { "{\"id\":\($0),\"pad\":\"\(String(repeating: "p", count: $0 * 37))\"}" }
        let sender = try onThread { for message in messages { try client.send(message) } }
        for message in messages {
            #expect(try client.reader.next() == line(message))
        }
        try sender.value()
    }

    @Test func closeUnblocksAReaderOnAnotherThread() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        // A server that accepts and then says nothing.
        let held = Completion<UnixSocketConnection>()
        let server = try UnixSocketServer.listen(path: path) { held.complete($0) }
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path)
        let accepted = try #require(held.wait(timeout: patience))
        defer { accepted.close() }

        let reading = try onThread { try client.reader.next() }
        // Give the reader a chance to block in read(2); the outcome is the same if it has not yet.
        usleep(50_000)
        client.close()
        #expect(try reading.value() == nil)
        #expect(client.isClosed)
        #expect(throws: TransportError.closed) { try client.send("after close") }
    }

    @Test func peerHangingUpEndsTheStream() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let server = try UnixSocketServer.listen(path: path) { connection in
            try? connection.send("bye")
            connection.close()
        }
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        #expect(try client.reader.next() == line("bye"))
        #expect(try client.reader.next() == nil)
    }

    @Test func aWriteTimeoutBoundsAPeerThatDoesNotRead() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let held = Completion<UnixSocketConnection>()
        let server = try UnixSocketServer.listen(path: path) { held.complete($0) }
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path, writeTimeout: .milliseconds(100))
        defer { client.close() }
        let silent = try #require(held.wait(timeout: patience))
        defer { silent.close() }

        // The socket buffers hold a few hundred KiB; well before 64 MiB a write must time out.
        let block = String(repeating: "z", count: 64 << 10)
        var failure: TransportError?
        for _ in 0..<1_000 {
            do {
                try client.send(block)
            } catch let error as TransportError {
                failure = error
                break
            }
        }
        #expect(failure == .writeTimedOut)
        // The stream may now end in half a line, so the writer stays failed.
        #expect(throws: TransportError.writeTimedOut) { try client.send("more") }
    }

    @Test func connectingWhereNobodyListensSaysSo() throws {
        let dir = try TempDir()
        let path = dir.file("none.sock")
        #expect(throws: TransportError.noListener(path: path)) { try UnixSocketConnection.connect(path: path) }
        #expect(TransportError.noListener(path: path).description == "no gateway listening at \(path)")
        #expect(throws: TransportError.noListener(path: "/nonexistent/dir/g.sock")) {
            try UnixSocketConnection.connect(path: "/nonexistent/dir/g.sock")
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root bypasses file permissions"))
    func connectingWithoutPermissionSaysSo() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let server = try UnixSocketServer.listen(path: path) { $0.close() }
        defer { server.stop() }
        chmod(path, 0o000)
        #expect(throws: TransportError.permissionDenied(path: path)) { try UnixSocketConnection.connect(path: path) }
        #expect(TransportError.permissionDenied(path: path).description == "permission denied for \(path)")
    }
}
