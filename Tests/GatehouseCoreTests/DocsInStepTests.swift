import Foundation
import Testing
@testable import GatehouseCore

/// Keeps docs/policy.md in step with the code: every key, operator, scope, action, window name,
/// path root and evaluation step the code knows must be documented there.
@Suite("docs/policy.md is in step with the code")
struct DocsInStepTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // GatehouseCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func docs() throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("docs/policy.md"), encoding: .utf8)
    }

    private func expectDocumented(_ words: [String], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let text = try Self.docs()
        #expect(!words.isEmpty)
        for w in words {
            #expect(text.contains("`\(w)`"), "docs/policy.md does not mention the \(what) `\(w)`", sourceLocation: sourceLocation)
        }
    }

    @Test func everyKey() throws {
        let k = PolicyLoader.Keys.self
        let all = k.top + k.tool + k.allTools + k.limit + k.rateLimit + k.condition + k.approval
        try expectDocumented(Array(Set(all)).sorted(), "key")
    }

    @Test func everyOperatorHasARowInTheOperatorTable() throws {
        let text = try Self.docs()
        for op in Condition.Op.allCases {
            #expect(text.contains("| `\(op.rawValue)` |"), "no row for operator `\(op.rawValue)`")
        }
    }

    @Test func everyScopeActionTimeoutOutcomeWindowAndRoot() throws {
        try expectDocumented(CounterScope.allCases.map(\.rawValue), "scope")
        try expectDocumented(PolicyAction.allCases.map(\.rawValue), "action")
        try expectDocumented(ApprovalSettings.OnTimeout.allCases.map(\.rawValue), "on_timeout value")
        try expectDocumented(Limit.windowNames.map(\.name), "window name")
        try expectDocumented(ValuePath.Root.allCases.map(\.rawValue), "path root")
    }

    @Test func everyEvaluationStepInOrder() throws {
        let text = try Self.docs()
        let section = try #require(text.range(of: "## Evaluation order")).upperBound
        let body = String(text[section...]).components(separatedBy: "\n## ")[0]
        var cursor = body.startIndex
        for (i, step) in PolicyEngine.evaluationOrder.enumerated() {
            let item = "\(i + 1). **\(step)**"
            guard let r = body.range(of: item, range: cursor..<body.endIndex) else {
                Issue.record("evaluation step \(i + 1) `\(step)` is missing or out of order in docs/policy.md")
                return
            }
            cursor = r.upperBound
        }
        #expect(!body.contains("\(PolicyEngine.evaluationOrder.count + 1). **"), "the docs list more steps than the engine takes")
    }

    @Test func theDocumentedExamplesLoad() throws {
        // Every ```json and ```yaml block that is a whole policy (has "version") must load.
        let text = try Self.docs()
        var checked = 0
        for (lang, format) in [("json", PolicyLoader.Format.json), ("yaml", .yaml)] {
            for block in text.components(separatedBy: "```\(lang)\n").dropFirst() {
                let code = block.components(separatedBy: "```")[0]
                guard code.contains("version") else { continue }
                let r = PolicyLoader.load(code, format: format)
                #expect(r.policy != nil, "a documented policy does not load: \(r.errors.map(\.description))")
                #expect(r.warnings.isEmpty)
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    @Test func theDocumentedErrorLineIsWhatTheLoaderSays() throws {
        // The example diagnostic in the docs is real output, not an approximation.
        let text = try Self.docs()
        let policy = """
            {
              "version": "1",
              "default": "deny",
              "tools": {
                "Other": {},
                "Bar": {},
                "Baz": {},
                "Qux": {},
                "Zed": {},
                "Yon": {},
                "Foo": {
                    "limts": [{"counter": "c", "window": "minute", "max": 5}]
                }
              }
            }
            """
        let d = try #require(PolicyLoader.load(policy, file: "policy.json").errors.first)
        #expect(text.contains(d.description), "docs/policy.md should show: \(d.description)")
    }
}
