import Foundation

/// Ticker prices for the demo exchange: deterministic, so two runs of the demo show the same market.
/// Each look moves a symbol one step along a gentle wave around its reference price.
struct MarketPrices: Sendable {
    struct Listing: Sendable {
        var symbol: String
        var base: String
        var reference: Double
        /// Decimal places the exchange quotes this symbol with.
        var decimals: Int
    }

    static let listings: [Listing] = [
        Listing(symbol: "BTCUSDT", base: "BTC", reference: 64_250.00, decimals: 2),
        Listing(symbol: "ETHUSDT", base: "ETH", reference: 3_120.50, decimals: 2),
        Listing(symbol: "SOLUSDT", base: "SOL", reference: 142.35, decimals: 2),
        Listing(symbol: "BNBUSDT", base: "BNB", reference: 585.20, decimals: 2),
        Listing(symbol: "DOGEUSDT", base: "DOGE", reference: 0.1234, decimals: 4),
    ]

    static var symbols: [String] { listings.map(\.symbol) }

    static func listing(_ symbol: String) -> Listing? { listings.first { $0.symbol == symbol } }

    private var steps: [String: Int] = [:]

    /// The current quote, advancing the symbol's step.
    mutating func quote(_ symbol: String) -> Quote? {
        guard let l = Self.listing(symbol) else { return nil }
        let step = steps[symbol, default: 0]
        steps[symbol] = step + 1
        return Self.quote(l, step: step)
    }

    /// The last price without moving the market (for fills).
    func lastPrice(_ symbol: String) -> Double? {
        guard let l = Self.listing(symbol) else { return nil }
        return Self.quote(l, step: max(0, steps[symbol, default: 0] - 1)).last
    }

    static func quote(_ l: Listing, step: Int) -> Quote {
        let wave = sin(Double(step) * 0.7) * 0.004 + sin(Double(step) * 0.13) * 0.009
        let last = round(l.reference * (1 + wave), l.decimals)
        let spread = round(max(l.reference * 0.00005, pow(10, -Double(l.decimals))), l.decimals)
        let change = ((last / l.reference) - 1) * 100
        return Quote(symbol: l.symbol, last: last, bid: round(last - spread, l.decimals), ask: round(last + spread, l.decimals),
                     changePercent: (change * 100).rounded() / 100, decimals: l.decimals)
    }

    static func round(_ v: Double, _ decimals: Int) -> Double {
        let f = pow(10, Double(decimals))
        return (v * f).rounded() / f
    }
}

struct Quote: Sendable, Equatable {
    var symbol: String
    var last: Double
    var bid: Double
    var ask: Double
    var changePercent: Double
    var decimals: Int

    func format(_ v: Double) -> String { String(format: "%.\(decimals)f", v) }
}
