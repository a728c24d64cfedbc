import Testing
import GatehouseCore
@testable import GatehouseDashboard

@Suite struct LayoutSmoke {
    @Test func printBusy() {
        var d = Driver()
        d.attach(Fx.exchange, Fx.snapshot(pending: [Fx.held("aaaa11112222")], recent: (0..<30).map { Fx.call("c\($0)", at: Fx.t0 + Double($0)) }))
        for size in [(24, 80), (40, 120), (20, 60)] {
            let s = RecordingScreen(rows: size.0, cols: size.1)
            let map = DashboardView.draw(d.state, on: s, context: ViewContext(now: Fx.t0 + 20, zone: .utc))
            d.input(.layout(map))
            print(s.dump())
            print(String(repeating: "=", count: size.1))
        }
    }
}
