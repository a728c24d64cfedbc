import Foundation
@testable import GatehouseDashboard
#if canImport(Glibc)
import Glibc
#endif

/// A terminal for event-loop tests: draws into a RecordingScreen, takes keys the test
/// queues (a pipe byte makes the loop's poll see them), and can ask to terminate.
final class ScriptedTerminal: DashboardTerminal {
    let screen: RecordingScreen
    private var fds: [Int32] = [-1, -1]
    private var keys: [Key] = []
    private var termination: Int32?
    private(set) var fullRedraws = 0

    init(rows: Int = 40, cols: Int = 120) {
        screen = RecordingScreen(rows: rows, cols: cols)
        _ = pipe(&fds)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(fds[0])
        close(fds[1])
    }

    func press(_ k: Key...) {
        keys += k
        var b: UInt8 = 1
        _ = write(fds[1], &b, 1)
    }

    func requestTermination(_ sig: Int32) {
        termination = sig
        var b: UInt8 = 1
        _ = write(fds[1], &b, 1)
    }

    // MARK: DashboardTerminal

    var inputFileDescriptor: Int32 { fds[0] }
    var wakeFileDescriptor: Int32 { -1 }

    func readKey() -> Key? {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(fds[0], &sink, sink.count) > 0 {}
        return keys.isEmpty ? nil : keys.removeFirst()
    }

    func takeTerminationRequest() -> Int32? {
        defer { termination = nil }
        return termination
    }

    func forceFullRedraw() { fullRedraws += 1 }

    // MARK: Screen

    var size: Size { screen.size }
    var glyphs: Glyphs { screen.glyphs }
    func beginFrame() { screen.beginFrame() }
    func endFrame() { screen.endFrame() }
    @discardableResult
    func put(row: Int, col: Int, text: String, style: Style) -> Int { screen.put(row: row, col: col, text: text, style: style) }
    func fill(_ rect: Rect, with character: Character, style: Style) { screen.fill(rect, with: character, style: style) }
    func placeCursor(row: Int, col: Int) { screen.placeCursor(row: row, col: col) }
}
