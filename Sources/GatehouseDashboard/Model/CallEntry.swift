import GatehouseCore

/// A call record plus what the views and the filter need from it, computed once when the
/// record arrives rather than on every frame or keystroke.
public struct CallEntry: Hashable, Sendable {
    public var key: CallKey
    public var record: CallRecord
    public var status: CallStatus
    /// The arguments as compact JSON, cut to `previewLimit` characters (the detail view
    /// pretty-prints the full record).
    public var argsPreview: String
    /// Lower-cased text the filter searches: tool, status, decision, gateway, session,
    /// grant, id and arguments.
    public var haystack: String

    static let previewLimit = 400

    public init(gateway: GatewayID, record: CallRecord) {
        key = CallKey(gateway: gateway, id: record.id)
        self.record = record
        status = CallStatus(record)
        let json = JSONWriter.string(record.arguments)
        argsPreview = json.count > Self.previewLimit ? String(json.prefix(Self.previewLimit)) : json
        haystack = [record.tool, status.label, record.decision, record.outcome.rawValue, record.gateway, record.session,
                    record.grant, record.id, record.approver ?? "", argsPreview].joined(separator: " ").lowercased()
    }
}
