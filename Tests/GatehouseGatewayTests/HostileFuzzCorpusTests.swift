import Foundation
import GatehouseTesting
import GatehouseTransport
import Testing

/// The committed fuzz corpus (seeds and regressions, Fuzz/corpus/TARGET) runs through every fuzz
/// target's invariants on each test run, with the plain (non-libFuzzer) build of gatehouse-fuzz.
@Suite struct HostileFuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["json", "mcp", "control", "policy"])
    func theCommittedCorpusKeepsEveryInvariant(target: String) throws {
        let fuzz = try BuiltProducts.executable("gatehouse-fuzz")
        let corpus = Self.root.appendingPathComponent("Fuzz/corpus/\(target)").path
        let child = try ChildProcess.spawn(fuzz, arguments: [target, corpus])
        var output: [String] = []
        while let event = try child.stdout.next() {
            if case .line(let bytes) = event { output.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let status = child.waitForExit(timeout: testPatience)
        #expect(status?.isSuccess == true, "\(String(describing: status))")
        #expect(output.last?.contains("no invariant broken") == true, "\(output)")
    }
}
