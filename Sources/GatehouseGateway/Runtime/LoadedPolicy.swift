import Foundation
import GatehouseCore

/// A policy file as read from disk: the policy, a summary for operators, and its fingerprint.
public struct LoadedPolicy: Sendable {
    public var policy: Policy
    public var summary: PolicySummary
    public var warnings: [Diagnostic]

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String, String)
        case invalid([Diagnostic])
        public var description: String {
            switch self {
            case .unreadable(let path, let why): "cannot read policy \(path): \(why)"
            case .invalid(let ds): ds.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
            }
        }
        public var messages: [String] {
            switch self {
            case .unreadable: [description]
            case .invalid(let ds): ds.filter { $0.severity == .error }.map(\.description)
            }
        }
    }

    public static func read(path: String, now: Double) throws(Failure) -> LoadedPolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path, (error as NSError).localizedDescription)
        }
        return try parse(text: text, file: path, now: now)
    }

    public static func parse(text: String, file: String, now: Double) throws(Failure) -> LoadedPolicy {
        let r = PolicyLoader.load(text, file: file)
        guard let policy = r.policy else { throw .invalid(r.diagnostics) }
        let summary = PolicySummary(
            file: file, version: policy.version, defaultAction: policy.defaultAction.rawValue, toolRules: policy.tools.count,
            counters: policy.counters.count, hidden: policy.hide.map(\.text), loadedAt: now, sha256: SHA256.hex(Array(text.utf8)))
        return LoadedPolicy(policy: policy, summary: summary, warnings: r.warnings)
    }
}
