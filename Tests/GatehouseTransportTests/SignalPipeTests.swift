import Glibc
import Testing
@testable import GatehouseTransport

/// Serialized: signal handlers are process-wide, and each signal belongs to one pipe at a time.
@Suite(.serialized) struct SignalPipeTests {
    @Test func aRaisedSignalBecomesAReadableEvent() throws {
        let signals = try SignalPipe()
        defer { signals.close() }
        let poller = try Poller()
        #expect(try poller.wait(readable: [signals.fileDescriptor], timeout: .zero).timedOut)

        // The handler is installed, so SIGHUP no longer ends the process. Sent to the process,
        // not raise()d: test threads are Dispatch workers, which block signals.
        kill(getpid(), SIGHUP)
        let result = try poller.wait(readable: [signals.fileDescriptor], timeout: patience)
        #expect(result.events(for: signals.fileDescriptor).contains(.readable))
        #expect(signals.drain() == [SIGHUP])
        #expect(signals.drain() == [])
    }

    @Test func reportsSeveralSignalsInOrder() throws {
        let signals = try SignalPipe(signals: [SIGWINCH, SIGUSR2])
        defer { signals.close() }
        let poller = try Poller()
        var received: [Int32] = []
        for signal in [SIGWINCH, SIGUSR2, SIGWINCH] {
            kill(getpid(), signal)
            // One at a time: pending signals of one kind would merge.
            _ = try poller.wait(readable: [signals.fileDescriptor], timeout: patience)
            received += signals.drain()
        }
        #expect(received == [SIGWINCH, SIGUSR2, SIGWINCH])
    }

    @Test func aSignalBelongsToOnePipeAtATime() throws {
        let first = try SignalPipe(signals: [SIGUSR2])
        #expect(throws: TransportError.self) { try SignalPipe(signals: [SIGUSR2]) }
        first.close()
        let second = try SignalPipe(signals: [SIGUSR2])
        second.close()
    }

    @Test func closeRestoresThePreviousHandler() throws {
        var before = sigaction()
        sigaction(SIGUSR2, nil, &before)
        let signals = try SignalPipe(signals: [SIGUSR2])
        var during = sigaction()
        sigaction(SIGUSR2, nil, &during)
        signals.close()
        var after = sigaction()
        sigaction(SIGUSR2, nil, &after)
        let handler = { (action: sigaction) in unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self) }
        #expect(handler(during) != handler(before))
        #expect(handler(after) == handler(before))
    }

    @Test func refusesSignalsThatCannotBeCaught() {
        #expect(throws: TransportError.self) { try SignalPipe(signals: [SIGKILL]) }
        #expect(throws: TransportError.self) { try SignalPipe(signals: [0]) }
    }
}
