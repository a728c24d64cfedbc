/// The four panels of the dashboard, in the order Tab cycles and 1-4 choose them.
public enum Panel: String, CaseIterable, Hashable, Sendable {
    case stream, pending, tools, counters

    public var context: KeyContext {
        switch self {
        case .stream: .stream
        case .pending: .pending
        case .tools: .tools
        case .counters: .counters
        }
    }

    public var title: String {
        switch self {
        case .stream: "Live stream"
        case .pending: "Pending approvals"
        case .tools: "Tools"
        case .counters: "Counters"
        }
    }
}
