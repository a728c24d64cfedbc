import Foundation
import GatehouseControl
import Synchronization

/// Connects to control sockets off the UI thread. `ControlClient.connect` waits for the
/// gateway's hello; a gateway that is stopped (SIGSTOP, a debugger) would freeze the
/// dashboard if the event loop waited for it. Results are queued and the loop woken.
final class Connector: Sendable {
    struct Outcome: Sendable {
        var gateway: GatewayID
        var result: Result<ControlClient, any Error>
    }

    let wake = WakePipe()
    private let done = Mutex<[Outcome]>([])
    private let clientName: String

    init(clientName: String) { self.clientName = clientName }

    func connect(_ gateway: GatewayID) {
        let name = clientName
        Thread.detachNewThread { [self] in
            let result = Result { try ControlClient.connect(path: gateway, clientName: name) }
            done.withLock { $0.append(Outcome(gateway: gateway, result: result)) }
            wake.wake()
        }
    }

    /// Everything finished since the last call.
    func take() -> [Outcome] {
        wake.drain()
        return done.withLock { d in
            defer { d.removeAll() }
            return d
        }
    }
}
