// gatehouse-bench <benchmark> [options]: one small file per benchmark; this file only dispatches.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "decide":
    DecisionBench.run(Array(arguments.dropFirst()))
case "dash":
    DashBench.run(Array(arguments.dropFirst()))
default:
    let usage = """
        usage: gatehouse-bench <benchmark> [options]

        benchmarks:
          decide [--decisions N] [--tools N]   PolicyEngine.decide over a generated 1,000-tool policy
          dash [--rate N] [--seconds N]         the dashboard ingesting N events/s, drawing at most 30 frames/s

        """
    FileHandle.standardError.write(Data(usage.utf8))
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
