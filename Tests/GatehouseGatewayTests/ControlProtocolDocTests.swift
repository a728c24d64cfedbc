import Foundation
import GatehouseCore
import Testing

/// docs/control-protocol.md is what client authors read; these keep it from drifting from the code.
@Suite struct ControlProtocolDocTests {
    static let doc: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/control-protocol.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    @Test func everyMethodIsDocumented() {
        #expect(!Self.doc.isEmpty)
        for m in ControlProtocol.Method.allCases {
            #expect(Self.doc.contains("| `\(m.rawValue)` |"), "method \(m.rawValue) is missing from the methods table")
        }
    }

    @Test func everyNotificationAndEventTypeIsDocumented() {
        for n in ControlProtocol.Notification.allCases { #expect(Self.doc.contains("\"\(n.rawValue)\""), "notification \(n.rawValue)") }
        for k in ControlEvent.Kind.allCases { #expect(Self.doc.contains("| `\(k.rawValue)` |"), "event type \(k.rawValue)") }
    }

    @Test func everyErrorCodeIsDocumented() {
        for c in ControlProtocol.ErrorCode.allCases {
            #expect(Self.doc.contains("| \(c.rawValue) | `\(c)` |"), "error \(c.rawValue) \(c)")
        }
    }

    @Test func theVersionTheDocDescribesIsTheCodes() {
        #expect(Self.doc.contains("describes version **\(ControlProtocol.version)**"))
    }

    @Test func everyCallOutcomeAndApprovalScopeIsDocumented() {
        for o in CallRecord.Outcome.allCases { #expect(Self.doc.contains("`\(o.rawValue)`"), "outcome \(o.rawValue)") }
        for s in ApprovalScope.allCases { #expect(Self.doc.contains("`\(s.rawValue)`"), "scope \(s.rawValue)") }
    }
}
