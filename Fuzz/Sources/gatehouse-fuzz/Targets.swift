import Foundation
import GatehouseCore
@testable import GatehouseGateway

/// What each fuzz target feeds, and the invariants it checks (a broken one traps, which libFuzzer
/// reports as a crash and saves the input).
enum FuzzTarget: String, CaseIterable, Sendable {
    /// The strict JSON parser, with and without comments; what parses must round-trip exactly.
    case json
    /// JSON-RPC on the MCP side: lines to `Enforcer.handleClientLine` / `handleUpstreamLine`.
    case mcp
    /// The control-protocol handler, with and without the handshake done.
    case control
    /// The policy loader, JSON and YAML.
    case policy

    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: JSONTarget.run(bytes)
        case .mcp: MCPTarget.run(bytes)
        case .control: ControlTarget.run(bytes)
        case .policy: PolicyTarget.run(bytes)
        }
    }
}

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}

enum JSONTarget {
    static func run(_ bytes: [UInt8]) {
        for comments in [false, true] {
            guard let v = try? JSONParser.parse(bytes, options: .init(allowComments: comments)) else { continue }
            let written = JSONWriter.bytes(v)
            let again = try? JSONParser.parse(written)
            check(again == v, "round trip changed the value: \(String(decoding: written.prefix(200), as: UTF8.self))")
            check(JSONWriter.bytes(again!) == written, "writing is not stable")
            _ = JSONWriter.pretty(v)
        }
    }
}
