import Foundation

/// Stands in for the dashboard until it is wired in: says where it would attach, then keeps the
/// demo running until Enter (or end of input, or Ctrl-C).
enum DemoDashboardPlaceholder {
    static func attach(controlSocket: String) {
        let lines = [
            "gatehouse demo: the dashboard is not wired in yet; it would attach here to \(controlSocket)",
            "The demo is running. From another terminal:",
            "  gatehouse ctl --control \(controlSocket) tail",
            "  gatehouse ctl --control \(controlSocket) pending",
            "  gatehouse ctl --control \(controlSocket) approve ID",
            "Press Enter to stop the demo.",
        ]
        printLine(lines.joined(separator: "\n"))
        _ = readLine()
    }
}
