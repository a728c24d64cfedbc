import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct FDWriterTests {
    @Test func writesExactlyTheLineAndANewline() throws {
        let pipe = try makePipe()
        let writer = FDWriter(fileDescriptor: pipe.write)
        let reader = LineReader(fileDescriptor: pipe.read, ownsDescriptor: true)
        try writer.writeLine("{\"id\":1}")
        try writer.writeLine([UInt8]("bytes".utf8))
        try writer.writeLine(Array("slice!".utf8).dropLast())
        try writer.write(Array("raw".utf8))
        try writer.writeLine("")
        writer.close()
        #expect(try drain(reader) == [line("{\"id\":1}"), line("bytes"), line("slice"), line("raw")])
    }

    @Test func concurrentWritersNeverInterleave() throws {
        let pipe = try makePipe()
        let writer = FDWriter(fileDescriptor: pipe.write)
        let reader = LineReader(fileDescriptor: pipe.read, maxLineSize: 1 << 20, ownsDescriptor: true)
        let threads = 8
        let perThread = 300
        // Some lines far above PIPE_BUF, where the kernel alone would split writes.
        let collected = try onThread { try drain(reader) }
        let writers = try (0..<threads).map { thread in
            try onThread {
                for index in 0..<perThread {
                    let length = index % 10 == 0 ? 200_000 : 10 + index
                    let fill = String(repeating: Character(UnicodeScalar(UInt8(65 + thread))), count: length)
                    try writer.writeLine("\(thread):\(index):\(fill)")
                }
            }
        }
        for done in writers { try done.value() }
        writer.close()
        let lines = try collected.value()

        #expect(lines.count == threads * perThread)
        var nextIndex = [Int](repeating: 0, count: threads)
        for event in lines {
            guard case .line(let bytes) = event else {
                Issue.record("unexpected \(event)")
                continue
            }
            let parts = String(decoding: bytes, as: UTF8.self).split(separator: ":", maxSplits: 2)
            guard parts.count == 3, let thread = Int(parts[0]), let index = Int(parts[1]), thread < threads else {
                Issue.record("mangled line starting \(String(decoding: bytes.prefix(40), as: UTF8.self))")
                continue
            }
            let length = index % 10 == 0 ? 200_000 : 10 + index
            let intact = parts[2].utf8.count == length && parts[2].utf8.allSatisfy { $0 == UInt8(65 + thread) }
            #expect(intact, "line \(thread):\(index) was interleaved")
            // Each thread's own lines keep their order.
            #expect(index == nextIndex[thread])
            nextIndex[thread] = index + 1
        }
    }

    @Test func finishesWholeMessagesOnANonBlockingDescriptor() throws {
        let pipe = try makePipe()
        setNonBlocking(pipe.write)
        let writer = FDWriter(fileDescriptor: pipe.write)
        let reader = LineReader(fileDescriptor: pipe.read, maxLineSize: 4 << 20, ownsDescriptor: true)
        let collected = try onThread { try drain(reader) }
        // Far more than the pipe holds: the writer must wait out EAGAIN rather than fail or split.
        let big = [UInt8](repeating: UInt8(ascii: "b"), count: 3 << 20)
        try writer.writeLine(big)
        try writer.writeLine("tail")
        writer.close()
        #expect(try collected.value() == [.line(big), line("tail")])
    }

    @Test func reportsBrokenPipeAndStaysFailed() throws {
        let pipe = try makePipe()
        close(pipe.read)
        let writer = FDWriter(fileDescriptor: pipe.write)
        #expect(throws: TransportError.brokenPipe) { try writer.writeLine("nobody listens") }
        #expect(throws: TransportError.brokenPipe) { try writer.writeLine("still nobody") }
    }

    @Test func refusesToWriteAfterClose() throws {
        let pipe = try makePipe()
        defer { close(pipe.read) }
        let writer = FDWriter(fileDescriptor: pipe.write)
        writer.close()
        #expect(writer.isClosed)
        #expect(throws: TransportError.closed) { try writer.writeLine("late") }
        writer.close()
    }

    @Test func leavesABorrowedDescriptorOpen() throws {
        let pipe = try makePipe()
        defer {
            close(pipe.read)
            close(pipe.write)
        }
        let writer = FDWriter(fileDescriptor: pipe.write, ownsDescriptor: false)
        writer.close()
        #expect(fcntl(pipe.write, F_GETFD) >= 0)
    }

    @Test func ignoringSIGPIPEIsProcessWide() {
        Transport.ignoreSIGPIPE()
        var current = sigaction()
        sigaction(SIGPIPE, nil, &current)
        #expect(unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
    }
}
