import Glibc
import GatehouseCore
import Testing
@testable import GatehouseTransport

@Suite struct LineReaderTests {
    @Test func aReadWithATimeoutGivesUpOnASilentPeerButNotOnALineOrAnEnd() throws {
        let pipe = try makePipe()
        let reader = LineReader(descriptor: Descriptor(pipe.read, owned: true))
        let start = ContinuousClock.now
        #expect(throws: TransportError.readTimedOut) { try reader.next(timeout: .milliseconds(100)) }
        #expect(ContinuousClock.now - start >= .milliseconds(100))
        // Half a line is not a line: still a timeout.
        writeAll(pipe.write, Array("half".utf8))
        #expect(throws: TransportError.readTimedOut) { try reader.next(timeout: .milliseconds(50)) }
        writeAll(pipe.write, Array(" and the rest\nnext\n".utf8))
        #expect(try reader.next(timeout: .seconds(5)) == .line(Array("half and the rest".utf8)))
        #expect(try reader.next(timeout: .seconds(5)) == .line(Array("next".utf8)))
        close(pipe.write)
        #expect(try reader.next(timeout: .seconds(5)) == nil)
    }

    /// Feeds `input` through a pipe from another thread and collects every event.
    private func events(for input: [UInt8], maxLineSize: Int = 1 << 20, chunkSize: Int = LineReader.chunkSize) throws -> [LineEvent] {
        let pipe = try makePipe()
        let reader = LineReader(descriptor: Descriptor(pipe.read, owned: true), maxLineSize: maxLineSize, chunkSize: chunkSize)
        let writer = try onThread {
            writeAll(pipe.write, input)
            close(pipe.write)
        }
        let result = try drain(reader)
        try writer.value()
        return result
    }

    @Test func splitsLinesAcrossChunkBoundaries() throws {
        // Lines of every length around the chunk size, so newlines land on and next to every boundary.
        var input: [UInt8] = []
        var expected: [LineEvent] = []
        for length in 0..<40 {
            let text = String(repeating: Character(UnicodeScalar(UInt8(97 + length % 26))), count: length)
            input += Array(text.utf8) + [0x0A]
            expected.append(line(text))
        }
        for chunk in [1, 2, 3, 7, 16, 64] {
            #expect(try events(for: input, chunkSize: chunk) == expected, "chunk size \(chunk)")
        }
    }

    @Test func handlesMegabytesWithTheRealChunkSize() throws {
        var input: [UInt8] = []
        var expected: [LineEvent] = []
        var generator = SystemRandomNumberGenerator()
        while input.count < 3 << 20 {
            let length = Int.random(in: 0...9_000, using: &generator)
            let bytes = (0..<length).map { UInt8(33 + ($0 * 7 + input.count) % 90) }
            input += bytes + [0x0A]
            expected.append(.line(bytes))
        }
        #expect(try events(for: input) == expected)
    }

    @Test func stripsOnlyTheCarriageReturnBeforeTheNewline() throws {
        let input = Array("crlf\r\nbare\rinside\r\n\r\nplain\n".utf8)
        #expect(try events(for: input) == [line("crlf"), line("bare\rinside"), line(""), line("plain")])
    }

    @Test func keepsEmptyLines() throws {
        #expect(try events(for: Array("\n\n x\n\n".utf8)) == [line(""), line(""), line(" x"), line("")])
    }

    @Test func returnsAFinalLineWithoutNewline() throws {
        #expect(try events(for: Array("one\ntwo".utf8)) == [line("one"), line("two")])
        #expect(try events(for: Array("one\ntwo\r".utf8)) == [line("one"), line("two")])
        #expect(try events(for: []) == [])
    }

    @Test func keepsReturningNilAfterTheEnd() throws {
        let pipe = try makePipe()
        let reader = LineReader(fileDescriptor: pipe.read, ownsDescriptor: true)
        writeAll(pipe.write, Array("x".utf8))
        close(pipe.write)
        #expect(try reader.next() == line("x"))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func appliesTheLimitToTheLineWithoutItsTerminator() throws {
        let limit = 10
        let exact = String(repeating: "a", count: limit)
        let input = Array("\(exact)\n\(exact)\r\n\(exact)b\n\(exact)b".utf8)
        #expect(try events(for: input, maxLineSize: limit, chunkSize: 4) == [
            line(exact), line(exact), .tooLong(byteCount: limit + 1), .tooLong(byteCount: limit + 1),
        ])
    }

    @Test func skipsA20MegabyteLineWithBoundedMemory() throws {
        let limit = 1 << 20
        let longLength = 20 << 20
        let pipe = try makePipe()
        let reader = LineReader(descriptor: Descriptor(pipe.read, owned: true), maxLineSize: limit)
        let writer = try onThread {
            writeAll(pipe.write, Array("before\n".utf8))
            let block = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
            for _ in 0..<(longLength / block.count) { writeAll(pipe.write, block) }
            writeAll(pipe.write, Array("\r\nafter\n".utf8))
            close(pipe.write)
        }
        let result = try drain(reader)
        try writer.value()
        #expect(result == [line("before"), .tooLong(byteCount: longLength), line("after")])
        // The buffer may grow to the limit plus a chunk or so, never towards the line's size.
        #expect(reader.peakBufferCapacity <= limit + 3 * LineReader.chunkSize)
    }

    @Test func reportsAnOverLongLastLineAtEndOfStream() throws {
        let input = Array("ok\n".utf8) + [UInt8](repeating: 0x41, count: 5_000)
        #expect(try events(for: input, maxLineSize: 1_000, chunkSize: 256) == [line("ok"), .tooLong(byteCount: 5_000)])
    }

    @Test func readAvailableHandsOutWhatIsCompleteWithoutBlocking() throws {
        let pipe = try makePipe()
        defer { close(pipe.write) }
        let reader = LineReader(fileDescriptor: pipe.read, ownsDescriptor: true)
        let poller = try Poller()

        writeAll(pipe.write, Array("a\nb\npart".utf8))
        #expect(try poller.wait(readable: [pipe.read], timeout: patience).events(for: pipe.read).contains(.readable))
        #expect(try reader.readAvailable() == [line("a"), line("b")])

        writeAll(pipe.write, Array("ial\nend".utf8))
        #expect(try reader.readAvailable() == [line("partial")])

        close(pipe.write)
        #expect(try reader.readAvailable() == [line("end")])
        #expect(try reader.readAvailable() == nil)
    }

    @Test func nextWaitsOnANonBlockingDescriptor() throws {
        let pipe = try makePipe()
        setNonBlocking(pipe.read)
        let reader = LineReader(fileDescriptor: pipe.read, ownsDescriptor: true)
        let writer = try onThread {
            usleep(20_000)
            writeAll(pipe.write, Array("late\n".utf8))
            close(pipe.write)
        }
        #expect(try reader.next() == line("late"))
        #expect(try reader.next() == nil)
        try writer.value()
    }

    @Test func readAvailableReturnsNothingOnAnEmptyNonBlockingDescriptor() throws {
        let pipe = try makePipe()
        defer { close(pipe.write) }
        setNonBlocking(pipe.read)
        let reader = LineReader(fileDescriptor: pipe.read, ownsDescriptor: true)
        #expect(try reader.readAvailable() == [])
    }

    /// The framing machine against a plain reference split, over random input cut at random places.
    @Test func matchesAReferenceSplitterOnRandomInput() {
        var random = SplitMix64(seed: 42)
        for round in 0..<200 {
            let limit = Int(random.next() % 20) + 1
            let input = (0..<Int(random.next() % 400)).map { _ -> UInt8 in
                switch random.next() % 8 {
                case 0: return 0x0A
                case 1: return 0x0D
                default: return UInt8(97 + random.next() % 3)
                }
            }
            let buffer = LineBuffer(maxLineSize: limit, chunkSize: Int(random.next() % 9) + 1)
            var offset = 0
            var actual: [LineEvent] = []
            while true {
                while let event = buffer.nextEvent() { actual.append(event) }
                let count = buffer.fill { space in
                    let take = min(space.count, input.count - offset, Int(random.next() % 13) + 1)
                    space.copyBytes(from: input[offset..<(offset + take)])
                    offset += take
                    return take
                }
                if count == 0 { break }
            }
            if let last = buffer.finish() { actual.append(last) }
            #expect(actual == referenceSplit(input, limit: limit), "round \(round)")
        }
    }

    private func referenceSplit(_ input: [UInt8], limit: Int) -> [LineEvent] {
        var pieces = input.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if input.last == 0x0A || input.isEmpty { pieces.removeLast() }
        return pieces.map { piece in
            let content = piece.last == 0x0D ? Array(piece.dropLast()) : piece
            return content.count > limit ? .tooLong(byteCount: content.count) : .line(content)
        }
    }
}
