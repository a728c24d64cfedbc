import Foundation
import GatehouseControl
import GatehouseCore

/// Follows the gateway's events on its control socket and prints every call as it is decided and
/// as it ends. Reading the gateway rather than the agent shows what the policy did, with the ids
/// an operator approves by. Stops when the gateway closes the socket (it does as it shuts down).
final class DemoCallPrinter: Sendable {
    private let client: ControlClient
    private let finished = DispatchSemaphore(value: 0)
    private let tally = Locked<[String: Int]>([:])

    private init(client: ControlClient) { self.client = client }

    static func start(socket: String, write: @escaping @Sendable (String) -> Void) throws -> DemoCallPrinter {
        let client = try ControlClient.connect(path: socket, clientName: "gatehouse-demo")
        let printer = DemoCallPrinter(client: client)
        try client.send(.subscribe, EmptyParams())
        let thread = Thread { printer.follow(write) }
        thread.name = "gatehouse-demo-printer"
        thread.start()
        return printer
    }

    private func follow(_ write: @Sendable (String) -> Void) {
        defer { finished.signal() }
        while let message = try? client.next() {
            guard case .event(let e) = message, e.type == .call, let call = e.call else { continue }
            if call.outcome.isFinal { tally.withLock { $0[call.outcome.rawValue, default: 0] += 1 } }
            if let line = DemoCallLine.line(call) { write(line) }
        }
    }

    /// Waits until the gateway has closed the stream (every event it sent is printed), at most `timeout`.
    func waitUntilFinished(timeout: Double = 10) {
        if finished.wait(timeout: .now() + timeout) == .timedOut { client.close() }
    }

    /// How many calls ended each way: "ok": 12, "denied": 3, ...
    var counts: [String: Int] { tally.withLock { $0 } }
}
