import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct PollerTests {
    @Test func reportsTheDescriptorThatBecameReadable() throws {
        let poller = try Poller()
        let quiet = try makePipe()
        let busy = try makePipe()
        defer { for fd in [quiet.read, quiet.write, busy.read, busy.write] { close(fd) } }
        writeAll(busy.write, [1])
        let result = try poller.wait(readable: [quiet.read, busy.read], timeout: patience)
        #expect(result.ready == [Poller.Interest(busy.read, .readable)])
        #expect(result.events(for: quiet.read).isEmpty)
        #expect(!result.woken && !result.timedOut)
    }

    @Test func wakesFromAnotherThread() throws {
        let poller = try Poller()
        let pipe = try makePipe()
        defer {
            close(pipe.read)
            close(pipe.write)
        }
        let waiting = try onThread { try poller.wait(readable: [pipe.read], timeout: patience) }
        usleep(20_000)
        poller.wake()
        let result = try waiting.value()
        #expect(result.woken)
        #expect(result.ready.isEmpty)
    }

    @Test func aWakeBeforeTheWaitIsNotLostAndIsConsumed() throws {
        let poller = try Poller()
        for _ in 0..<10_000 { poller.wake() }
        #expect(try poller.wait(for: [], timeout: patience).woken)
        #expect(try poller.wait(for: [], timeout: .milliseconds(10)).timedOut)
    }

    @Test func timesOutWhenNothingHappens() throws {
        let poller = try Poller()
        let pipe = try makePipe()
        defer {
            close(pipe.read)
            close(pipe.write)
        }
        let result = try poller.wait(readable: [pipe.read], timeout: .milliseconds(30))
        #expect(result.timedOut)
        #expect(try poller.wait(readable: [pipe.read], timeout: .zero).timedOut)
    }

    @Test func reportsHangupAndWritability() throws {
        let poller = try Poller()
        let pipe = try makePipe()
        defer { close(pipe.read) }
        let writable = try poller.wait(for: [Poller.Interest(pipe.write, .writable)], timeout: patience)
        #expect(writable.events(for: pipe.write).contains(.writable))
        close(pipe.write)
        let hungUp = try poller.wait(readable: [pipe.read], timeout: patience)
        #expect(hungUp.events(for: pipe.read).contains(.hangup))
    }

    @Test func watchesAConnectionsSocket() throws {
        let dir = try TempDir()
        let path = dir.file("g.sock")
        let server = try UnixSocketServer.listen(path: path) { connection in
            try? connection.send("event")
            connection.close()
        }
        defer { server.stop() }
        let client = try UnixSocketConnection.connect(path: path)
        defer { client.close() }
        let poller = try Poller()
        // The dashboard's loop: poll, then take whatever is complete, until the stream ends.
        var received: [LineEvent] = []
        while true {
            let result = try poller.wait(readable: [client.fileDescriptor], timeout: patience)
            #expect(!result.timedOut)
            guard !result.timedOut, let events = try client.reader.readAvailable() else { break }
            received += events
        }
        #expect(received == [line("event")])
    }
}
