import Foundation
import GatehouseControl
import GatehouseCore

/// The app's side of one gateway: its client when connected, the requests in flight on
/// it, and when to try again after a failure. Lives on the UI thread.
final class GatewayLink {
    let id: GatewayID
    var client: ControlClient?
    /// A connect attempt is running on the connector.
    var connecting = false
    /// The request id of `subscribe`, whose answer is the snapshot.
    var subscribeID: Int?
    /// Request id → the model's token and what was asked (to decode the answer).
    var requests: [Int: (token: Int, request: ControlRequest)] = [:]
    var failures = 0
    /// Monotonic time of the next attempt.
    var nextAttempt = 0.0

    init(id: GatewayID) { self.id = id }

    var fileDescriptor: Int32? { client?.fileDescriptor }

    /// Sends a model request; returns false (with the reason) when it could not be sent.
    func send(_ request: ControlRequest, token: Int) -> String? {
        guard let client else { return "not connected" }
        do {
            let id: Int
            switch request {
            case .approve(let p): id = try client.send(.approve, p)
            case .deny(let p): id = try client.send(.deny, p)
            case .kill(let p): id = try client.send(.kill, p)
            case .release: id = try client.send(.release, EmptyParams())
            case .toolOverride(let p): id = try client.send(.toolOverride, p)
            case .reload: id = try client.send(.reload, EmptyParams())
            }
            requests[id] = (token, request)
            return nil
        } catch {
            return "could not send: \(error)"
        }
    }

    func subscribe() throws {
        subscribeID = try client?.send(.subscribe, EmptyParams())
    }

    func close() {
        client?.close()
        client = nil
        subscribeID = nil
        requests = [:]
    }

    /// Turns an answer into model input; nil for answers nobody waits for.
    func answer(id: JSONValue, _ result: Result<ControlMessage.RawResult, ControlClientError>) -> DashboardInput? {
        guard let n = id.intValue else { return nil }
        if n == subscribeID {
            subscribeID = nil
            switch result {
            case .success(let raw):
                guard let snap = try? raw.decode(Snapshot.self) else {
                    return .disconnected(self.id, reason: "the gateway's snapshot could not be read", retryAt: nil)
                }
                return .snapshot(self.id, snap)
            case .failure(let e):
                return .disconnected(self.id, reason: "subscribe refused: \(e)", retryAt: nil)
            }
        }
        guard let (token, request) = requests.removeValue(forKey: n) else { return nil }
        switch result {
        case .failure(let e):
            return .commandFailed(token: token, message: e.description)
        case .success(let raw):
            do {
                let reply: CommandReply
                switch request {
                case .approve, .deny: reply = .call(try raw.decode(ResolveResult.self).call)
                case .kill, .release: reply = .killSwitch(try raw.decode(KillSwitchInfo.self))
                case .toolOverride: reply = .tool(try raw.decode(ToolInfo.self))
                case .reload:
                    let r = try raw.decode(ReloadResult.self)
                    reply = .reloaded(r.policy, warnings: r.warnings)
                }
                return .commandSucceeded(token: token, reply)
            } catch {
                return .commandFailed(token: token, message: "the gateway's answer could not be read: \(error)")
            }
        }
    }

    /// A short reason for a failed connection, without the socket path the header already shows.
    static func reason(_ error: any Error, path: String) -> String {
        var text = "\(error)"
        text = text.replacingOccurrences(of: " at \(path)", with: "").replacingOccurrences(of: path, with: "the socket")
        if text.hasPrefix("no gateway listening") { return "not running" }
        return text
    }
}
