import Foundation
import Testing
@testable import GatehouseCore

/// SHA-256 against the FIPS 180-4 examples, and the streaming and one-shot routes against each other.
@Suite("SHA-256")
struct SHA256Tests {
    static func streamed(_ bytes: [UInt8], chunk: Int) -> [UInt8] {
        var s = SHA256()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            s.update(bytes[start..<end])
            start = end
        }
        return s.finalize()
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownAnswers(_ message: String, _ digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
        #expect(SHA256.hex(message.utf8) == digest)
        #expect(SHA256.hexString(SHA256.digest(Array(message.utf8))) == digest)
        for chunk in [1, 3, 55, 64, 65] {
            #expect(SHA256.hexString(Self.streamed(Array(message.utf8), chunk: chunk)) == digest)
        }
    }

    @Test func aMillionAs() {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(million) == digest)
        #expect(SHA256.hexString(Self.streamed(million, chunk: 1_000)) == digest)
        #expect(SHA256.hexString(Self.streamed(million, chunk: 77)) == digest)
    }

    @Test func everyLengthAroundTheBlockAndPaddingEdges() {
        // Lengths 0...200 cover remainders either side of 56 (one padding block or two) and 64.
        var rng = SplitMix64(seed: 5)
        for length in 0...200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let once = SHA256.digest(bytes)
            #expect(once.count == 32)
            for chunk in [1, 7, 56, 63, 64, 100] {
                #expect(Self.streamed(bytes, chunk: chunk) == once, "length \(length), chunk \(chunk)")
            }
            // A sequence without contiguous storage takes the copying route.
            #expect(SHA256.digest(bytes.lazy.map { $0 }) == once)
        }
    }

    /// The CPU's SHA instructions and the Swift reference compress alike, from every starting
    /// state and over runs of one to eight blocks.
    @Test func instructionsAndReferenceCompressAlike() {
        var rng = SplitMix64(seed: 11)
        for run in 0..<2_000 {
            let blocks = run % 8 + 1
            let bytes = (0..<(64 * blocks)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let words = (0..<8).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
            let start = SHA256.State(a: words[0], b: words[1], c: words[2], d: words[3],
                                     e: words[4], f: words[5], g: words[6], h: words[7])
            var reference = start
            bytes.withUnsafeBytes { SHA256.compressInSwift(&reference, blocks: $0) }
            var fast = start
            bytes.withUnsafeBytes { SHA256.compress(&fast, blocks: $0) }
            let r = [reference.a, reference.b, reference.c, reference.d, reference.e, reference.f, reference.g, reference.h]
            let f = [fast.a, fast.b, fast.c, fast.d, fast.e, fast.f, fast.g, fast.h]
            #expect(r == f, "run \(run), \(blocks) blocks")
            if r != f { return }
        }
    }

    /// The instructions are used where the CPU has them (Linux says so in /proc/cpuinfo), so the
    /// comparison above tests them, not the reference against itself.
    @Test func instructionsAreUsedWhereTheCPUHasThem() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }.map { $0.split(separator: " ") } ?? []
        let has = { (flag: String) in flags.contains { $0 == flag } }
        #expect(SHA256.accelerated == (has("sha_ni") && has("ssse3") && has("sse4_1")))
    }

    @Test func hexIsLowerCaseAndTwoDigitsPerByte() {
        #expect(SHA256.hexString([]) == "")
        #expect(SHA256.hexString([0x00, 0x01, 0x0F, 0x10, 0x7F, 0x80, 0xAB, 0xFF]) == "00010f107f80abff")
        #expect(SHA256.hexString(Array(0...255)) == (0...255).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined())
    }
}
