// gatehouse-bench <benchmark> [options]: one small file per benchmark; this file only dispatches.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "decide":
    DecisionBench.run(Array(arguments.dropFirst()))
default:
    let usage = """
        usage: gatehouse-bench <benchmark> [options]

        benchmarks:
          decide [--decisions N] [--tools N]   PolicyEngine.decide over a generated 1,000-tool policy

        """
    FileHandle.standardError.write(Data(usage.utf8))
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
