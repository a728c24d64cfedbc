import ArgumentParser
import GatehouseGateway

/// `gatehouse`: the root command. Each subcommand lives in its own folder and stays thin.
public struct GatehouseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A policy gateway that puts a human in control of what AI agents do through MCP.",
        discussion: """
            Put `gatehouse serve` between an MCP client and a server to enforce a policy on every tool call,
            then watch and approve calls from the dashboard (`gatehouse dash`) or with `gatehouse ctl`.

            Examples:
              gatehouse demo
              gatehouse serve --policy policy.json -- uvx mcp-server-git
              gatehouse policy check policy.json
              gatehouse ctl pending
            """,
        version: Gateway.version,
        subcommands: GatehouseCommand.subcommandList,
        defaultSubcommand: DashCommand.self
    )

    public init() {}
}
