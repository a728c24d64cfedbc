import ArgumentParser
import GatehouseCore
/// `gatehouse policy`: work with policy files without running a gateway.
public struct PolicyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check policy files and see how they decide.",
        discussion: """
            A policy says what happens to every tools/call an agent makes: allow, deny, rate-limit,
            or hold for a person's approval. The language is described in docs/policy.md.

            Examples:
              gatehouse policy check policy.json
              gatehouse policy check examples/*.json examples/*.yaml --json
              gatehouse policy explain policy.json --tool place_order --args '{"qty": 3}'
              gatehouse policy explain policy.json --tool get_price --calls 40
            """,
        subcommands: [PolicyCheckCommand.self, PolicyExplainCommand.self, PolicyInitCommand.self]
    )

    public init() {}
}

/// `--format` for files whose name does not say what they are.
enum PolicyFormatOption: String, ExpressibleByArgument, CaseIterable {
    case json, yaml

    var format: PolicyLoader.Format { self == .json ? .json : .yaml }
}
