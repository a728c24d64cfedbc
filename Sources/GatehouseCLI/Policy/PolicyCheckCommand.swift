import ArgumentParser
import GatehouseCore

/// `gatehouse policy check FILE...`
struct PolicyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate policy files and report every problem.",
        discussion: """
            Each problem is printed to standard error as
              file:line:column: error: path: message (did you mean "x"?); expected ...
            and each valid file gets one line on standard output, e.g.
              policy.json: ok (default deny, 3 tools, 2 counters)

            Warnings are printed but do not make a file invalid. Files ending in .yaml or .yml
            are read as YAML, others as JSON (comments allowed), unless --format says otherwise.

            Exit status: 0 when every file is valid, 1 when any has errors, 2 when a file cannot
            be read.

            Examples:
              gatehouse policy check policy.json
              gatehouse policy check desk.yaml agents/*.json
              gatehouse policy check --json policy.json | jq '.[].diagnostics[].message'
              gatehouse policy check --format yaml policy.conf
            """
    )

    @Argument(help: ArgumentHelp("The policy files to check.", valueName: "file"))
    var files: [String]

    @Flag(help: "Print machine-readable results to standard output: an array of {file, valid, diagnostics}.")
    var json = false

    @Option(help: "Read every file as this format, whatever its name.")
    var format: PolicyFormatOption?

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one policy file.") }
    }

    func run() throws {
        let out = PolicyCheck.run(files: files, json: json, format: format?.format)
        out.emit()
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}
