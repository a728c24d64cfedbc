import Foundation
import GatehouseControl
import GatehouseCore
import GatehouseTesting
import GatehouseTransport
import Testing
@testable import GatehouseGateway

/// Many connections at once: each is served or refused cleanly, never left hanging.
@Suite struct ControlConnectionTests {
    @Test func manyConnectionsAreServedOrRefusedCleanly() throws {
        let f = try ControlFixture(storage: .memory)
        let total = 300
        let (served, refused, connections) = try f.helloStorm(total, client: "many")
        #expect(served == ControlServer.maxConnections)
        #expect(refused == total - ControlServer.maxConnections)
        for c in connections { c.close() }

        // Once they are gone, new connections are served again.
        #expect(waitUntil {
            guard let c = try? f.client() else { return false }
            c.close()
            return true
        })
    }

    @Test func theClientReportsARefusedConnection() throws {
        let f = try ControlFixture(storage: .memory)
        var connections: [RawControl] = []
        for _ in 0..<ControlServer.maxConnections { connections.append(try f.raw()) }
        for c in connections { try c.hello() }
        do {
            let c = try withWatchdog(onTimeout: {}) { try ControlClient.connect(path: f.socketPath, clientName: "one too many") }
            c.close()
            Issue.record("connected past the limit")
        } catch let error as ControlClientError {
            #expect(error.description.contains("too many control connections"))
        }
        for c in connections { c.close() }
    }

    @Test func theClientGivesUpOnAGatewayThatNeverAnswers() throws {
        // A listening socket nobody serves: the connection is accepted by the kernel's backlog
        // and hello is never answered, as with a stopped gateway.
        let dir = try TemporaryDirectory()
        let path = dir.file("silent.sock")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(fd, 4) == 0)
        let start = ContinuousClock.now
        #expect(throws: ControlClientError.timedOut(.milliseconds(300))) {
            _ = try ControlClient.connect(path: path, clientName: "patient", timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(ControlClientError.timedOut(.seconds(5)).description.contains("did not answer"))
    }

    @Test func aClientCanUseAConnectionFromSeveralThreads() throws {
        let f = try ControlFixture(storage: .memory)
        let clients = try (0..<8).map { _ in try f.client() }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for _ in 0..<20 {
                #expect((try? clients[i].checkedCall(.status, as: Snapshot.self))?.gateway.name == "test")
            }
        }
        for c in clients { c.close() }
    }
}
