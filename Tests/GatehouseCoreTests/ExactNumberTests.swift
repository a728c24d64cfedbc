import Testing
import PropertyBased
@testable import GatehouseCore

/// Exact decimal comparison of JSON numbers, used by eq/in/lt/gt and number equality.
@Suite("Exact numbers")
struct ExactNumberTests {
    @Test(arguments: ["0", "-0", "1", "-1", "10", "1.5", "0.001", "1e3", "1E-3", "-2.50e+2", "123456789012345678901234567890"])
    func acceptsJSONNumberText(_ text: String) {
        #expect(ExactDecimal(text) != nil)
    }

    @Test(arguments: ["", "-", "+1", "01", "1.", ".1", "1e", "1e+", "0x10", "1_000", "Infinity", "NaN", " 1", "1 ", "1.2.3", "--1", "١"])
    func rejectsEverythingElse(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func equalValuesWrittenDifferently() {
        let one = ExactDecimal("1")
        for text in ["1.0", "1e0", "10e-1", "0.1e1", "1.000"] { #expect(ExactDecimal(text) == one, "\(text)") }
        #expect(ExactDecimal("-0") == ExactDecimal("0"))
        #expect(ExactDecimal("0e99") == ExactDecimal("0.000"))
        #expect(ExactDecimal("100") == ExactDecimal("1e2"))
    }

    @Test func orderBeyondDoublePrecision() throws {
        let a = try #require(ExactDecimal("9007199254740993"))
        let b = try #require(ExactDecimal("9007199254740992"))
        #expect(b < a)
        #expect(try #require(ExactDecimal("-1e400")) < #require(ExactDecimal("-1e399")))
        #expect(try #require(ExactDecimal("1e-400")) > #require(ExactDecimal("0")))
        #expect(try #require(ExactDecimal("1e999999999999999999999")) > #require(ExactDecimal("1e999999")), "huge exponents are clamped, not overflowed")
    }

    @Test func agreesWithDoubleWhereDoubleIsExact() async {
        let values = Gen.int(in: -100_000...100_000)
        await propertyCheck(count: 500, input: values, values, Gen.int(in: 0...3)) { x, y, scale in
            // x/10^scale written as decimal text, e.g. -1234 at scale 2 is "-12.34".
            func text(_ v: Int) -> String {
                guard scale > 0 else { return String(v) }
                let digits = String(abs(v)).leftPadded(to: scale + 1)
                return (v < 0 ? "-" : "") + digits.dropLast(scale) + "." + digits.suffix(scale)
            }
            let a = ExactDecimal(text(x)), b = ExactDecimal(text(y))
            #expect(a != nil && b != nil)
            #expect((a! < b!) == (x < y), "\(text(x)) < \(text(y))")
            #expect((a! == b!) == (x == y))
            #expect((a!.hashValue == b!.hashValue) || x != y)
        }
    }

    @Test func jsonNumberHashingMatchesEquality() {
        let set: Set<JSONValue> = [.number(JSONNumber(literal: "1")), .number(JSONNumber(literal: "1.0")), .number(JSONNumber(literal: "1e0"))]
        #expect(set.count == 1)
        #expect(JSONNumber(literal: "garbage") != JSONNumber(literal: "0"))
        #expect(JSONNumber(literal: "garbage") == JSONNumber(literal: "garbage"))
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
