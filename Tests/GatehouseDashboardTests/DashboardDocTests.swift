import Foundation
import GatehouseTesting
import Testing
@testable import GatehouseDashboard

/// docs/dashboard.md documents the keys between two markers; they must be exactly what the
/// key map generates, so the page cannot drift from the program.
@Suite("docs/dashboard.md")
struct DashboardDocTests {
    static let begin = "<!-- keys: generated from KeyMap.standard by KeyMap.markdown(); DashboardDocTests checks it -->"
    static let end = "<!-- end of keys -->"

    @Test func theKeysSectionIsTheKeyMap() throws {
        let doc = try Repo.read("docs/dashboard.md")
        guard let b = doc.range(of: Self.begin), let e = doc.range(of: Self.end) else {
            Issue.record("docs/dashboard.md lacks the key markers")
            return
        }
        let documented = String(doc[b.upperBound..<e.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        let generated = KeyMap.standard.markdown().trimmingCharacters(in: .whitespacesAndNewlines)
        if documented != generated {
            let path = NSTemporaryDirectory() + "dashboard-keys.md"
            try? writeFileAtomically(generated, to: path)
            Issue.record("the keys in docs/dashboard.md differ from the key map; the generated section is in \(path)")
        }
    }

    @Test func everyPanelAndDialogIsDescribed() throws {
        let doc = try Repo.read("docs/dashboard.md")
        for panel in Panel.allCases { #expect(doc.contains(panel.title), "\(panel.title)") }
        for word in ["--read-only", "--control", "--name", "--theme", "GATEHOUSE_THEME", "docs/themes.md", "Dashboard.run",
                     "argsHash", "kill switch", "terminal too small"] {
            #expect(doc.localizedCaseInsensitiveContains(word), "\(word)")
        }
    }
}
