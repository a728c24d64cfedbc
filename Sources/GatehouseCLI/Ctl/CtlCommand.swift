import ArgumentParser
import Foundation
import GatehouseControl
import GatehouseCore

struct CtlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Operate a running gateway from scripts: approve, deny, kill switch, overrides, reload.",
        discussion: """
            With one gateway running, it is found by itself; otherwise name it (--name) or give its socket (--control).
            Exit status: 0 on success, 1 when the gateway refused (with the reason on stderr), 2 when it cannot be reached.

            Examples:
              gatehouse ctl pending
              gatehouse ctl approve 3fa9c2 --for 10m
              gatehouse ctl deny 3fa9c2 --reason "orders above 1 BTC need a ticket"
              gatehouse ctl kill --reason "runaway agent"
              gatehouse ctl tool place_order deny
              gatehouse ctl --name exchange tail --json
            """,
        subcommands: [
            CtlStatus.self, CtlPending.self, CtlCalls.self, CtlApprove.self, CtlDeny.self, CtlKill.self, CtlRelease.self,
            CtlTool.self, CtlReload.self, CtlTail.self,
        ])
}

/// Which gateway, and how to print: shared by every `ctl` subcommand.
struct CtlTarget: ParsableArguments {
    @Option(name: .long, help: "The gateway's control socket.")
    var control: String?

    @Option(name: .long, help: "The gateway's name (its socket in the default directory).")
    var name: String?

    @Flag(help: "Print the gateway's answer as JSON.")
    var json = false

    func connect() throws -> ControlClient {
        let path: String
        do { path = try GatewayDiscovery.resolve(control: control, name: name) } catch {
            printError("gatehouse ctl: \(error)")
            throw ExitCode(2)
        }
        do {
            return try ControlClient.connect(path: path, clientName: "gatehouse-ctl")
        } catch {
            printError("gatehouse ctl: cannot reach the gateway at \(path): \(error)")
            throw ExitCode(2)
        }
    }

    /// Runs one request, printing the answer (or the refusal) the way the flags ask.
    func run<R: Codable>(_ body: (ControlClient) throws -> R, human: (R) -> String) throws {
        let client = try connect()
        defer { client.close() }
        do {
            let r = try body(client)
            print(json ? CtlOutput.json(r) : human(r))
        } catch let e as ControlClientError {
            if json {
                print(CtlOutput.json(["error": e.description]))
            }
            printError("gatehouse ctl: \(e)")
            throw ExitCode(e == .closed ? 2 : 1)
        }
    }
}

enum CtlOutput {
    static func json<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func age(_ t: Double) -> String { DurationText.format(max(0, Date().timeIntervalSince1970 - t)) + " ago" }

    static func pending(_ p: PendingApproval) -> String {
        let left = max(0, Int(p.expiresAt - Date().timeIntervalSince1970))
        return "\(p.id)  \(p.call.tool)  \(JSONWriter.string(p.call.arguments).prefix(80))  \(p.onTimeout) in \(left)s"
    }

    static func call(_ c: CallRecord) -> String {
        var s = "\(c.id)  \(c.tool)  \(c.decision) → \(c.outcome.rawValue)"
        if let a = c.approver { s += "  by \(a)" }
        if let r = c.reason { s += "  — \(r)" }
        return s
    }
}
