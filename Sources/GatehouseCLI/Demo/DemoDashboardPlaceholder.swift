import Foundation

/// Stands in for the dashboard until it is wired in: says where it would attach, then keeps the
/// demo running until Enter (or end of input, or Ctrl-C).
enum DemoDashboardPlaceholder {
    static func attach(controlSocket: String) {
        let lines = [
            "gatehouse demo: the dashboard is not wired in yet; it would attach here to \(controlSocket)",
            "The demo is running. From another terminal:",
            "  gatehouse ctl tail --control \(controlSocket)",
            "  gatehouse ctl pending --control \(controlSocket)",
            "  gatehouse ctl approve ID --control \(controlSocket)",
            "Press Enter to stop the demo.",
        ]
        printLine(lines.joined(separator: "\n"))
        _ = readLine()
    }
}
