import ArgumentParser
import Foundation
import GatehouseCore

/// `gatehouse policy init`: asks a server for its tools and writes a default-deny starter policy.
struct PolicyInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter policy for an MCP server from the tools it lists.",
        discussion: """
            Starts the server (its command goes after --), asks for its tools, sorts each by what it can do \
            (read, write, destructive, financial) from its annotations and name, and writes a commented YAML \
            policy: everything not listed denied, reads allowed, writes rate-limited (30 a minute each), \
            destructive and financial tools held for approval. Read it before you use it.

            Examples:
              gatehouse policy init -- uvx mcp-server-git --repository .
              gatehouse policy init --output git.yaml -- uvx mcp-server-git --repository .
              gatehouse policy init --output fs.yaml --force -- npx -y @modelcontextprotocol/server-filesystem /data
              gatehouse policy init -- gatehouse demo-server
            """)

    @Option(name: [.short, .long], help: "Write the policy here (a .yaml or .yml file) instead of to stdout.")
    var output: String?

    @Flag(help: "Replace --output if it exists.")
    var force = false

    @Option(help: "Seconds to wait for the server to start and list its tools.")
    var timeout: Double = 30

    @Argument(parsing: .postTerminator, help: "The MCP server's command and arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty {
            throw ValidationError("give the server's command after --, e.g. gatehouse policy init -- uvx mcp-server-time")
        }
        if let output, PolicyLoader.format(forFile: output) != .yaml {
            throw ValidationError("the policy is YAML: name --output something.yaml or .yml, so the gateway reads it as YAML")
        }
        if !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() throws {
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            printError("gatehouse policy init: \(output) exists; add --force to replace it")
            throw ExitCode(1)
        }
        let catalogue: UpstreamCatalogue
        do {
            catalogue = try UpstreamToolLister(command: command, timeout: timeout).list()
        } catch {
            printError("gatehouse policy init: \(error)")
            throw ExitCode(2)
        }
        for s in catalogue.skipped { printError("gatehouse policy init: skipped a tool: \(s)") }
        let text = StarterPolicy(tools: catalogue.tools, command: command, serverName: catalogue.serverName, path: output).render()
        // Never hand out a policy the gateway would refuse.
        let check = PolicyLoader.load(text, file: output ?? "policy.yaml", format: .yaml)
        guard check.errors.isEmpty else {
            printError("gatehouse policy init: the generated policy does not validate (a bug; please report it):")
            for e in check.errors { printError("  \(e)") }
            throw ExitCode(1)
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try AtomicFileWriter.write(text, to: output, replace: force)
        } catch {
            printError("gatehouse policy init: cannot write \(output): \(error)")
            throw ExitCode(1)
        }
        let counts = Dictionary(grouping: catalogue.tools, by: \.risk).mapValues(\.count)
        let summary = RiskClass.allCases.compactMap { c in counts[c].map { "\($0) \(c.rawValue)" } }.joined(separator: ", ")
        printError("wrote \(output): \(catalogue.tools.count) tools\(summary.isEmpty ? "" : " (\(summary))")")
        printError("next: gatehouse serve --policy \(ShellQuote.quote(output)) -- \(ShellQuote.join(command))")
    }
}
