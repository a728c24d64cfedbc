import Foundation
import GatehouseCore
import GatehouseTransport

/// A bare control-socket client for the benches: hello, then raw JSON-RPC lines.
final class ControlClient {
    let connection: UnixSocketConnection
    private var nextID = 1

    init(path: String, name: String) throws {
        connection = try UnixSocketConnection.connect(path: path)
        _ = try call("hello", #"{"protocolVersion":\#(ControlProtocol.version),"client":"\#(name)"}"#)
    }

    /// Sends a request and returns its answer line (skipping event notifications).
    func call(_ method: String, _ params: String) throws -> [UInt8] {
        let id = nextID
        nextID += 1
        try connection.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        while let event = try connection.reader.next() {
            guard case .line(let bytes) = event else { continue }
            if bytes.withUnsafeBufferPointer({ Scan.intID($0) }) == id { return bytes }
        }
        throw TransportError.closed
    }

    func close() { connection.close() }

    /// Waits until a control socket at `path` answers hello.
    static func waitFor(path: String, name: String, seconds: Double = 20) -> ControlClient? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let c = try? ControlClient(path: path, name: name) { return c }
            usleep(20_000)
        }
        return nil
    }
}
