import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct UnixSocketServerTests {
    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// A server whose connections are collected for the test to inspect.
    private func collectingServer(at path: String) throws -> (UnixSocketServer, Completion<UnixSocketConnection>) {
        let accepted = Completion<UnixSocketConnection>()
        let server = try UnixSocketServer.listen(path: path) { accepted.complete($0) }
        return (server, accepted)
    }

    @Test func createsAPrivateDirectoryAndSocket() throws {
        let dir = try TempDir()
        let path = dir.file("run/deeper/g.sock")
        let (server, _) = try collectingServer(at: path)
        defer { server.stop() }
        #expect(mode(dir.file("run")) == 0o700)
        #expect(mode(dir.file("run/deeper")) == 0o700)
        #expect(mode(path) == 0o600)
        var info = stat()
        lstat(path, &info)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_uid == geteuid())
    }

    @Test func tightensATooOpenDirectoryOfOurs() throws {
        let dir = try TempDir()
        let open = dir.file("open")
        mkdir(open, 0o755)
        chmod(open, 0o775)
        let (server, _) = try collectingServer(at: "\(open)/g.sock")
        defer { server.stop() }
        #expect(mode(open) == 0o700)
    }

    @Test func neverTightensTheHomeDirectory() throws {
        let home = try TempDir()
        chmod(home.path, 0o755)
        #expect {
            try SocketDirectory.prepare(home.path, home: home.path)
        } throws: { error in
            guard case TransportError.insecureDirectory(let path, let reason) = error else { return false }
            return path == home.path && reason.contains("home directory")
        }
        #expect(mode(home.path) == 0o755)
    }

    @Test(.enabled(if: geteuid() == 0, "only root can make a directory owned by someone else"))
    func refusesADirectoryOwnedBySomeoneElse() throws {
        let dir = try TempDir()
        let theirs = dir.file("theirs")
        mkdir(theirs, 0o700)
        chmod(theirs, 0o755)
        chown(theirs, 65534, 65534)
        #expect {
            try UnixSocketServer.listen(path: "\(theirs)/g.sock") { $0.close() }
        } throws: { error in
            guard case TransportError.insecureDirectory(let path, let reason) = error else { return false }
            return path == theirs && reason.contains("65534")
        }
        // Not ours to fix: left exactly as it was.
        #expect(mode(theirs) == 0o755)
    }

    @Test func refusesToStartOverALiveServer() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let (server, accepted) = try collectingServer(at: path)
        defer { server.stop() }
        #expect(throws: TransportError.alreadyListening(path: path)) {
            try UnixSocketServer.listen(path: path) { $0.close() }
        }
        // The first server is untouched and still answers.
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        let connection = try #require(accepted.wait(timeout: patience))
        connection.close()
    }

    @Test func replacesAStaleSocketFile() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        // What a crashed server leaves behind: a socket file with nobody listening.
        let stale = try makeUnixSocket()
        try UnixSocketAddress.with(path: path) { #expect(bind(stale, $0, $1) == 0) }
        close(stale)
        #expect(mode(path) != nil)

        let (server, accepted) = try collectingServer(at: path)
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        let connection = try #require(accepted.wait(timeout: patience))
        connection.close()
    }

    @Test func neverRemovesAFileThatIsNotASocket() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        close(open(path, O_CREAT | O_WRONLY, 0o600))
        #expect(throws: TransportError.notASocket(path: path)) {
            try UnixSocketServer.listen(path: path) { $0.close() }
        }
        #expect(mode(path) == 0o600)
    }

    @Test func rejectsPathsTooLongForSockaddr() throws {
        let path = "/tmp/" + String(repeating: "x", count: 120)
        #expect(throws: TransportError.pathTooLong(path: path)) {
            try UnixSocketServer.listen(path: path) { $0.close() }
        }
    }

    @Test func reportsPeerCredentialsOnBothEnds() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let asked = Completion<PeerCredentials>()
        let accepted = Completion<UnixSocketConnection>()
        let server = try UnixSocketServer.listen(path: path, authorize: { peer in
            asked.complete(peer)
            return peer.isCurrentUserOrRoot
        }) { accepted.complete($0) }
        defer { server.stop() }

        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        let me = PeerCredentials(pid: getpid(), uid: geteuid(), gid: getegid())
        #expect(asked.wait(timeout: patience) == me)
        let connection = try #require(accepted.wait(timeout: patience))
        defer { connection.close() }
        #expect(connection.peer == me)
        #expect(client.peer == me)
    }

    @Test func refusedPeersAreDisconnectedAndReported() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let refused = Completion<PeerCredentials>()
        let server = try UnixSocketServer.listen(
            path: path, authorize: { _ in false }, onRefused: { refused.complete($0) }
        ) { connection in
            Issue.record("a refused peer got through")
            connection.close()
        }
        defer { server.stop() }

        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        #expect(refused.wait(timeout: patience)?.pid == getpid())
        // The server hung up: the client reads end of stream.
        let read = try onThread { try client.reader.next() }
        #expect(try read.value() == nil)
    }

    @Test func stopRemovesTheSocketFile() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let (server, _) = try collectingServer(at: path)
        server.stop()
        #expect(mode(path) == nil)
        #expect(throws: TransportError.noListener(path: path)) { try UnixSocketConnection.connect(path: path) }
        server.stop()
        // The path is free for the next server.
        let (again, _) = try collectingServer(at: path)
        again.stop()
    }

    @Test func stopLeavesASuccessorsSocketAlone() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let (first, _) = try collectingServer(at: path)
        unlink(path)
        let (second, accepted) = try collectingServer(at: path)
        defer { second.stop() }
        first.stop()
        #expect(mode(path) == 0o600)
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        try #require(accepted.wait(timeout: patience)).close()
    }

    @Test func stopFromInsideACallbackDoesNotDeadlock() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let holder = Locked<UnixSocketServer?>(nil)
        let stoppedInside = Completion<Bool>()
        let server = try UnixSocketServer.listen(path: path, authorize: { _ in
            holder.withLock { $0 }?.stop()
            stoppedInside.complete(true)
            return false
        }) { $0.close() }
        holder.withLock { $0 = server }
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        #expect(stoppedInside.wait(timeout: patience) == true)
        #expect(mode(path) == nil)
        holder.withLock { $0 = nil }
    }
}
