import Foundation
// `gatehouse-bench dash`: the dashboard under a flood (see IngestBenchmark in GatehouseDashboard).
import GatehouseDashboard

enum DashBench {
    static func run(_ args: [String]) {
        var o = IngestBenchmark.Options()
        if let v = value(args, "--rate").flatMap(Int.init) { o.eventsPerSecond = v }
        if let v = value(args, "--seconds").flatMap(Int.init) { o.seconds = v }
        if let v = value(args, "--history").flatMap(Int.init) { o.historyCapacity = v }
        print("dash: \(o.eventsPerSecond) events/s for \(o.seconds) s into a \(o.historyCapacity)-call history, "
              + "frames into a \(o.size.cols)x\(o.size.rows) RecordingScreen")
        print(IngestBenchmark.run(o).summary)
    }

    static func value(_ args: [String], _ name: String) -> String? {
        args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
    }
}
