import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse wrap-config`: puts every stdio server of a client's configuration behind Gatehouse.
struct WrapConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrap-config",
        abstract: "Rewrite an MCP client's configuration so every local server runs through Gatehouse.",
        discussion: """
            Reads the "mcpServers" (Claude Desktop, Cursor, Claude Code) or "servers" (VS Code) object and changes \
            each stdio server to start `gatehouse serve --policy P --name KEY -- <its command and arguments>`. \
            Environment, working directory and other keys stay as they are. Servers already behind Gatehouse, \
            and remote (url/http/sse) servers, are left alone with a note, so running it twice changes nothing. \
            Before writing, the file is copied to FILE.bak-YYYYMMDD-HHMMSS next to it. \
            Without --policy each server gets ~/.config/gatehouse/KEY.yaml; write those with `gatehouse policy init`.

            Examples:
              gatehouse wrap-config ~/.config/Claude/claude_desktop_config.json --dry-run
              gatehouse wrap-config ~/.cursor/mcp.json --policy ~/.config/gatehouse/policy.yaml
              gatehouse wrap-config .vscode/mcp.json
            """)

    @Argument(help: "The client's configuration file (JSON).")
    var file: String

    @Option(help: "One policy for every server (default: ~/.config/gatehouse/KEY.yaml per server).")
    var policy: String?

    @Flag(name: .customLong("dry-run"), help: "Print the rewritten configuration instead of writing it.")
    var dryRun = false

    func run() throws {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file))) } catch {
            printError("gatehouse wrap-config: cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let config: JSONValue
        var lostComments = false
        do {
            config = try JSONParser.parse(bytes)
        } catch {
            // VS Code's mcp.json may carry comments; they parse, but cannot be written back.
            guard let relaxed = try? JSONParser.parse(bytes, options: .init(allowComments: true)) else {
                printError("gatehouse wrap-config: \(file) is not valid JSON: \(error)")
                throw ExitCode(1)
            }
            config = relaxed
            lostComments = true
        }
        let fixed = policy.map { GatewayWrapping.absolute($0) }
        let wrapper = ConfigWrapper(gatehouse: GatehouseExecutable.invoked(),
                                    policy: { fixed ?? GatewayWrapping.defaultPolicy(name: $0) })
        let outcome: ConfigWrapper.Outcome
        do { outcome = try wrapper.wrap(config) } catch {
            printError("gatehouse wrap-config: \(file): \(error)")
            throw ExitCode(1)
        }
        for note in outcome.notes { printError(note.description) }
        if dryRun {
            print(outcome.text, terminator: "")
            printError(outcome.changed ? "(dry run: \(file) was not changed)" : "(dry run: nothing to change)")
            return
        }
        guard outcome.changed else {
            printError("nothing to change in \(file)")
            return
        }
        if lostComments { printError("note: comments and trailing commas in \(file) are not kept; the backup has them") }
        // A linked file (dotfiles) is rewritten where it really is, and stays linked.
        let target = (file as NSString).resolvingSymlinksInPath
        do {
            let backup = try ConfigBackup.make(of: target)
            var st = stat()
            let mode: mode_t = stat(target, &st) == 0 ? st.st_mode & 0o7777 : 0o644
            try AtomicFileWriter.write(outcome.text, to: target, replace: true, mode: mode)
            printError("wrote \(file) (backup: \(backup))")
        } catch {
            printError("gatehouse wrap-config: cannot write \(file): \(error)")
            throw ExitCode(1)
        }
        let missing = Set(outcome.notes.filter { $0.kind == .wrapped }.map { fixed ?? GatewayWrapping.defaultPolicy(name: $0.server) })
            .filter { !FileManager.default.fileExists(atPath: $0) }.sorted()
        for p in missing { printError("the policy \(p) does not exist yet; write one with gatehouse policy init --output \(ShellQuote.quote(p)) -- <server command>") }
    }
}
