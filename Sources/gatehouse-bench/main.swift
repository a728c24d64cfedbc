// gatehouse-bench <benchmark> [options]: one small file per benchmark; this file only dispatches.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "decide":
    DecisionBench.run(Array(arguments.dropFirst()))
case "proxy":
    ProxyBench.run(Array(arguments.dropFirst()))
case "fanout":
    FanoutBench.run(Array(arguments.dropFirst()))
case "approval":
    ApprovalBench.run(Array(arguments.dropFirst()))
case "store":
    StoreBench.run(Array(arguments.dropFirst()))
case "upstream":
    BenchUpstream.run(stamp: arguments.contains("--stamp"))
case "relay":
    BenchRelay.run(Array(arguments.dropFirst()))
case "dash":
    DashBench.run(Array(arguments.dropFirst()))
default:
    let usage = """
        usage: gatehouse-bench <benchmark> [options]

        benchmarks:
          decide [--decisions N] [--tools N]   PolicyEngine.decide over a generated 1,000-tool policy
          proxy [--calls N] [--rounds R] [--warmup W] [--pipeline K] [--modes a,b] [--gatehouse PATH]
                [--mcp-proxy-plus CMD]         one client, one fast upstream: direct, relay, gatehouse, peer
          fanout [--subscribers N] [--calls N] [--pipeline K]
                                               control-socket events to N subscribers; seq gaps counted
          approval [--calls N]                 operator approve → upstream receives the call, per held call
          store [--calls N]                    the two durable commits of a call, in process: the floor

        helper modes (started by the benches):
          upstream                             a minimal MCP server on stdin/stdout
          relay -- CMD...                      a bare byte relay in front of CMD
          dash [--rate N] [--seconds N]         the dashboard ingesting N events/s, drawing at most 30 frames/s

        """
    FileHandle.standardError.write(Data(usage.utf8))
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
