import Testing
@testable import GatehouseCore

/// Every operator, on present, missing and awkward values, evaluated directly.
@Suite("Condition operators")
struct ConditionOperatorTests {
    private func outcome(_ op: Condition.Op, _ value: JSONValue, path: String = "args.x", args: JSONValue) throws -> Condition.Outcome {
        let c = try Condition(path: ValuePath(parsing: path), op: op, value: value)
        return c.evaluate(call("t", args))
    }

    private func holds(_ op: Condition.Op, _ value: JSONValue, _ args: JSONValue) throws -> Bool {
        try outcome(op, value, args: args) == .holds
    }

    private func isIndeterminate(_ o: Condition.Outcome) -> Bool {
        if case .indeterminate = o { true } else { false }
    }

    @Test func eq() throws {
        #expect(try holds(.eq, "BTC", ["x": "BTC"]))
        #expect(try !holds(.eq, "BTC", ["x": "btc"]), "strings compare exactly, case included")
        #expect(try holds(.eq, 5, ["x": 5.0]))
        #expect(try holds(.eq, 5, ["x": "5"]), "a numeric string equals the number it spells")
        #expect(try holds(.eq, "5", ["x": 5]))
        #expect(try !holds(.eq, 5, ["x": "5 apples"]))
        #expect(try !holds(.eq, 5, ["x": "0x5"]), "only decimal JSON number text counts as a number")
        #expect(try !holds(.eq, true, ["x": "true"]))
        #expect(try holds(.eq, ["a": [1, 2]], ["x": ["a": [1, 2]]]), "objects and arrays compare deeply")
        #expect(try holds(.eq, .null, ["x": .null]))
        #expect(try outcome(.eq, "BTC", args: [:]) == .fails, "missing never equals")
        #expect(try !holds(.eq, .number(JSONNumber(literal: "9007199254740993")), ["x": .number(JSONNumber(literal: "9007199254740992"))]))
    }

    @Test func neq() throws {
        #expect(try holds(.neq, "prod", ["x": "dev"]))
        #expect(try !holds(.neq, "prod", ["x": "prod"]))
        #expect(try !holds(.neq, 10, ["x": "10.0"]))
        #expect(try outcome(.neq, "prod", args: [:]) == .holds, "a missing value is not equal to anything")
    }

    @Test func inAndNotIn() throws {
        let list: JSONValue = ["BTCUSDT", "ETHUSDT", 7]
        #expect(try holds(.in, list, ["x": "ETHUSDT"]))
        #expect(try !holds(.in, list, ["x": "DOGEUSDT"]))
        #expect(try holds(.in, list, ["x": "7"]), "numeric strings match numbers in the list")
        #expect(try outcome(.in, list, args: [:]) == .fails)
        #expect(try !holds(.in, [], ["x": "a"]))
        #expect(try !holds(.notIn, list, ["x": "ETHUSDT"]))
        #expect(try holds(.notIn, list, ["x": "DOGEUSDT"]))
        #expect(try outcome(.notIn, list, args: [:]) == .holds)
        #expect(try !holds(.in, list, ["x": ["BTCUSDT"]]), "in tests the whole value, not its elements")
    }

    @Test func orderingOperators() throws {
        #expect(try holds(.lt, 10, ["x": 9.99]))
        #expect(try !holds(.lt, 10, ["x": 10]))
        #expect(try holds(.lte, 10, ["x": 10]))
        #expect(try holds(.gt, 10, ["x": 10.0001]))
        #expect(try !holds(.gt, 10, ["x": 10]))
        #expect(try holds(.gte, 10, ["x": "10"]))
        #expect(try holds(.gte, -1.5, ["x": " -1.5 "]), "surrounding spaces are allowed in numeric strings")
        #expect(try holds(.gt, 1000, ["x": "1e4"]))
        for op in [Condition.Op.lt, .lte, .gt, .gte] {
            #expect(try outcome(op, 10, args: [:]) == .fails, "\(op) on a missing value does not hold")
        }
    }

    @Test func orderingIsExactBeyondDoublePrecision() throws {
        // As Doubles these are equal; as numbers they are not.
        let big: JSONValue = .number(JSONNumber(literal: "9007199254740992"))
        #expect(try holds(.gt, big, ["x": .number(JSONNumber(literal: "9007199254740993"))]))
        #expect(try holds(.gt, 1000, ["x": .number(JSONNumber(literal: "1000.00000000000000001"))]))
        #expect(try holds(.gt, 1000, ["x": "1000.00000000000000001"]))
        #expect(try holds(.lt, .number(JSONNumber(literal: "1e400")), ["x": .number(JSONNumber(literal: "1e399"))]))
        #expect(try holds(.gt, 0, ["x": .number(JSONNumber(literal: "1e-400"))]))
        #expect(try holds(.lt, 0, ["x": "-1e-400"]))
    }

    @Test func orderingOnSomethingThatIsNotANumberIsIndeterminate() throws {
        for bad: JSONValue in ["ten", "", "0x10", "1_000", "+5", ".5", "Infinity", "NaN", true, .null, [1], ["a": 1]] {
            let o = try outcome(.gt, 10, args: ["x": bad])
            #expect(isIndeterminate(o), "gt on \(bad) should be indeterminate, was \(o)")
        }
    }

    @Test func regex() throws {
        #expect(try holds(.regex, "^[A-Z]+USDT$", ["x": "BTCUSDT"]))
        #expect(try !holds(.regex, "^[A-Z]+USDT$", ["x": "btcusdt"]))
        #expect(try holds(.regex, "USD", ["x": "xxUSDxx"]), "unanchored patterns search")
        #expect(try outcome(.regex, "a", args: [:]) == .fails)
        #expect(isIndeterminate(try outcome(.regex, "1", args: ["x": 1])), "numbers are not matched as text")
        #expect(isIndeterminate(try outcome(.regex, "a", args: ["x": ["a"]])))
        #expect(throws: (any Error).self) { try Condition(path: ValuePath(parsing: "args.x"), op: .regex, value: "(") }
    }

    @Test func containsOnStringsArraysAndObjects() throws {
        #expect(try holds(.contains, "rm -rf", ["x": "sudo rm -rf /"]))
        #expect(try !holds(.contains, "rm -rf", ["x": "ls"]))
        #expect(try holds(.contains, "admin", ["x": ["user", "admin"]]))
        #expect(try holds(.contains, 3, ["x": [1, 2, "3"]]), "array elements compare like eq")
        #expect(try !holds(.contains, "admin", ["x": ["user"]]))
        #expect(try holds(.contains, "secret", ["x": ["secret": 1]]), "an object contains its keys")
        #expect(try !holds(.contains, "secret", ["x": ["public": 1]]))
        #expect(try outcome(.contains, "a", args: [:]) == .fails)
        #expect(isIndeterminate(try outcome(.contains, "1", args: ["x": 1])))
        #expect(isIndeterminate(try outcome(.contains, 1, args: ["x": "1"])))
        #expect(isIndeterminate(try outcome(.contains, 1, args: ["x": ["a": 1]])))
    }

    @Test func exists() throws {
        #expect(try holds(.exists, true, ["x": 0]))
        #expect(try holds(.exists, true, ["x": .null]), "null is a value that is present")
        #expect(try outcome(.exists, true, args: [:]) == .fails)
        #expect(try outcome(.exists, false, args: [:]) == .holds)
        #expect(try outcome(.exists, false, args: ["x": 1]) == .fails)
    }

    @Test func pathsDescendIntoNestedArguments() throws {
        let args: JSONValue = ["order": ["legs": [["qty": 1], ["qty": 250]], "meta": ["a.b": "dot"]]]
        #expect(try outcome(.gt, 100, path: "args.order.legs[1].qty", args: args) == .holds)
        #expect(try outcome(.gt, 100, path: "args.order.legs.1.qty", args: args) == .holds)
        #expect(try outcome(.eq, "dot", path: #"args.order.meta["a.b"]"#, args: args) == .holds)
        #expect(try outcome(.exists, true, path: "args.order.legs[2]", args: args) == .fails)
        #expect(try outcome(.exists, true, path: "args.order.legs.qty", args: args) == .fails)
    }

    @Test func toolGrantAndSessionCanBeTested() throws {
        let c = CallContext(tool: "place_order", arguments: [:], grant: "desk-7", session: "sess-1")
        #expect(try Condition(path: ValuePath(parsing: "grant"), op: .eq, value: "desk-7").evaluate(c) == .holds)
        #expect(try Condition(path: ValuePath(parsing: "session"), op: .regex, value: "^sess-").evaluate(c) == .holds)
        #expect(try Condition(path: ValuePath(parsing: "tool"), op: .eq, value: "cancel").evaluate(c) == .fails)
    }

    @Test func argumentsThatAreNotAnObjectHaveNoFields() throws {
        let c = CallContext(tool: "t", arguments: .null, grant: "g", session: "s")
        #expect(try Condition(path: ValuePath(parsing: "args.x"), op: .exists, value: true).evaluate(c) == .fails)
    }
}
