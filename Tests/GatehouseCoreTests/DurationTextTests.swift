import Testing
@testable import GatehouseCore

@Suite("Durations")
struct DurationTextTests {
    @Test(arguments: [
        ("90", 90.0), ("1.5", 1.5), ("90s", 90), ("2m", 120), ("1h30m", 5400), ("1d", 86400),
        (" 2m ", 120), ("0.5s", 0.5), ("1h1s", 3601), ("1.5h", 5400),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "m", "2x", "2m30", "-5", "+5", "1e3", "0x10", "inf", "nan", "1..5s", ".5s", "5.s", "٣m", "2 m"])
    func rejects(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test(arguments: [
        (120.0, "2m"), (5400, "1h30m"), (86400, "1d"), (90061, "1d1h1m1s"), (59, "59s"), (0, "0s"),
        (0.5, "0.5s"), (90.5, "1m30.5s"), (-3, "0s"), (1e300, "1e+300s"),
    ])
    func formats(_ seconds: Double, _ text: String) {
        #expect(DurationText.format(seconds) == text)
    }

    @Test func windowsAreDescribedByNameWhenTheyHaveOne() {
        #expect(Limit.describe(window: 60) == "minute")
        #expect(Limit.describe(window: 86400) == "day")
        #expect(Limit.describe(window: 90) == "1m30s")
    }
}
