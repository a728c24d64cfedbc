import Testing
@testable import GatehouseCore

@Suite("YAML policies")
struct YAMLReaderTests {
    static let json = #"""
        {
          "version": "1",
          "default": "deny",
          "hide": ["admin_*"],
          "approval": {"timeout": "5m", "on_timeout": "deny"},
          "all_tools": {"limits": [{"counter": "all_calls", "window": "minute", "max": 100, "scope": "global"}]},
          "tools": {
            "place_order": {
              "action": "require_approval",
              "reason": "Orders need a person.",
              "require": [{"path": "args.symbol", "op": "in", "value": ["BTCUSDT", "ETHUSDT"]}],
              "deny_if": [{"path": "args.order.qty", "op": "gt", "value": 2.5}],
              "limits": [{"counter": "spend", "window": "1h", "max": 50000, "scope": "grant", "increment_from": "args.notional"}],
              "approval": {"timeout": 60, "on_timeout": "allow"}
            },
            "get_*": {"rate_limit": "30/minute"},
            "cancel_order": {}
          }
        }
        """#

    static let yaml = """
        # The same policy, in YAML.
        version: "1"
        default: deny
        hide: [admin_*]
        approval:
          timeout: 5m
          on_timeout: deny
        all_tools:
          limits:
            - {counter: all_calls, window: minute, max: 100, scope: global}
        tools:
          place_order:
            action: require_approval
            reason: Orders need a person.
            require:
              - path: args.symbol
                op: in
                value: [BTCUSDT, ETHUSDT]
            deny_if:
              - {path: args.order.qty, op: gt, value: 2.5}
            limits:
              - counter: spend
                window: 1h
                max: 50000
                scope: grant
                increment_from: args.notional
            approval: {timeout: 60, on_timeout: allow}
          "get_*":
            rate_limit: 30/minute
          cancel_order: {}
        """

    @Test func yamlAndJSONLoadTheSamePolicy() throws {
        let a = try loadPolicy(Self.json, format: .json)
        let b = try loadPolicy(Self.yaml, format: .yaml)
        #expect(a.defaultAction == b.defaultAction)
        #expect(a.hide == b.hide)
        #expect(a.approval == b.approval)
        #expect(a.allTools.limits == b.allTools.limits)
        #expect(a.tools.map(\.pattern) == b.tools.map(\.pattern))
        for (x, y) in zip(a.tools, b.tools) {
            #expect(x.action == y.action)
            #expect(x.reason == y.reason)
            #expect(x.require == y.require)
            #expect(x.denyIf == y.denyIf)
            #expect(x.limits == y.limits)
            #expect(x.approval == y.approval)
        }
        #expect(b.tools.count == 3)
        #expect(b.tools[0].approval == ApprovalSettings(timeout: 60, onTimeout: .allow))
    }

    @Test func formatFollowsTheFileName() {
        #expect(PolicyLoader.format(forFile: "p.yaml") == .yaml)
        #expect(PolicyLoader.format(forFile: "P.YML") == .yaml)
        #expect(PolicyLoader.format(forFile: "p.json") == .json)
        #expect(PolicyLoader.format(forFile: "policy") == .json)
        let r = PolicyLoader.load("version: '1'\ndefault: allow\n", file: "x.yml")
        #expect(r.policy?.defaultAction == .allow)
    }

    @Test func validationErrorsPointAtYAMLLinesAndColumns() throws {
        let text = """
            version: "1"
            default: deny
            tools:
              place_order:
                limts:
                  - {counter: c, window: minute, max: 5}
                rate_limit: 5/minutes
            """
        let errors = loadErrors(text, format: .yaml)
        #expect(errors.count == 2)
        let unknown = try #require(errors.first { $0.message.contains("limts") })
        #expect(unknown.location == Loc(line: 5, column: 5))
        #expect(unknown.suggestion == "limits")
        let window = try #require(errors.first { $0.message.contains("minutes") })
        #expect(window.location == Loc(line: 7, column: 17))
        #expect(window.suggestion == "minute")
        #expect(window.description.hasPrefix("test.yaml:7:17: error: tools.place_order.rate_limit: "))
    }

    @Test func duplicateKeysAreRejectedWithALocation() throws {
        let e = try singleError("version: '1'\ndefault: deny\ndefault: allow\n", format: .yaml)
        #expect(e.message.contains(#"duplicate key "default""#))
        #expect(e.location?.line != nil)
    }

    @Test func syntaxErrorsHaveLocations() throws {
        let e = try singleError("version: '1'\ntools:\n  a: {b: [1, 2}\n", format: .yaml)
        #expect(e.message.hasPrefix("invalid YAML: "))
        #expect(e.location?.line == 3)
    }

    @Test func aliasesAreExpanded() throws {
        let text = """
            version: "1"
            tools:
              a: &rule {rate_limit: 5/minute}
              b: *rule
            """
        let p = try loadPolicy(text, format: .yaml)
        #expect(p.tools.map(\.limits.count) == [1, 1])
    }

    @Test func aliasBombsAreRefused() throws {
        // Nine levels of ten aliases each: a billion strings if expanded.
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(i): &a\(i) [\(refs)]")
        }
        let e = try singleError(lines.joined(separator: "\n") + "\n", format: .yaml)
        #expect(e.message.contains("expands to far more values"))
    }

    @Test func yamlScalarsBecomeJSONValues() throws {
        let (v, _) = try YAMLReader.parse("a: 1\nb: 2.5\nc: true\nd: null\ne: hello\nf: '7'\ng: [x, 2]\n")
        #expect(v["a"] == 1)
        #expect(v["b"] == 2.5)
        #expect(v["c"] == true)
        #expect(v["d"] == .null)
        #expect(v["e"] == "hello")
        #expect(v["f"] == "7", "a quoted number stays a string")
        #expect(v["g"] == ["x", 2])
    }

    @Test func yaml11BooleansAreBooleans() throws {
        // Documented: quote "no", "yes", "on", "off" when they are meant as strings.
        let (v, _) = try YAMLReader.parse("a: no\nb: yes\nc: 'no'\nd: off\n")
        #expect(v["a"] == false)
        #expect(v["b"] == true)
        #expect(v["c"] == "no")
        #expect(v["d"] == false)
    }

    @Test func versionMayBeTheNumberOneButNotOnePointZero() throws {
        _ = try loadPolicy("version: 1\n", format: .yaml)
        let e = try singleError("version: 1.0\n", format: .yaml)
        #expect(e.path.description == "version")
    }

    @Test func emptyDocumentsAndNonMappingKeysAreErrors() throws {
        #expect(try singleError("", format: .yaml).message.contains("empty"))
        #expect(try singleError("? [a, b]\n: 1\n", format: .yaml).message.contains("mapping keys must be plain strings"))
        #expect(try singleError("- a\n- b\n", format: .yaml).message == "the policy must be an object, not an array")
    }
}
