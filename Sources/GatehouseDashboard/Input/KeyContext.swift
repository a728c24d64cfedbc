/// Where the operator is, as far as keys are concerned. A key means different things in
/// different contexts (Enter opens a row in a list, submits a prompt); the key map is
/// looked up per context.
public enum KeyContext: String, CaseIterable, Hashable, Sendable {
    /// Keys that work in every panel (stream, pending, tools, counters, detail).
    case global
    /// The live stream of tool calls.
    case stream
    /// Calls held for approval.
    case pending
    /// The tools of the attached gateways and their overrides.
    case tools
    /// Counters and rate limits.
    case counters
    /// The detail view of one call or tool.
    case detail
    /// Typing a filter; every printable key is text.
    case filterPrompt
    /// Typing free text: a deny reason, the kill-switch confirmation phrase.
    case textPrompt
    /// A yes/no question.
    case confirmation
    /// A list of choices: approval scope, tool override.
    case menu
    /// The help overlay.
    case help

    /// Panels also take the global keys; modal contexts (prompts, dialogs, menus, help)
    /// take only their own, so typing `q` into the filter types a `q`.
    public var includesGlobal: Bool {
        switch self {
        case .stream, .pending, .tools, .counters, .detail: true
        case .global, .filterPrompt, .textPrompt, .confirmation, .menu, .help: false
        }
    }

    /// Contexts where printable keys with no binding are text for a `LineEditor`.
    public var isTextEntry: Bool { self == .filterPrompt || self == .textPrompt }

    /// Heading for this context's section of the help overlay.
    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .stream: "Live stream"
        case .pending: "Pending approvals"
        case .tools: "Tools"
        case .counters: "Counters"
        case .detail: "Details"
        case .filterPrompt: "Filter"
        case .textPrompt: "Text prompt"
        case .confirmation: "Confirmation"
        case .menu: "Menu"
        case .help: "Help"
        }
    }

    /// The four panels, in the order Tab cycles and 1-4 select them.
    public static let panels: [KeyContext] = [.stream, .pending, .tools, .counters]
    /// Panels that show a selectable list.
    public static let lists: Set<KeyContext> = [.stream, .pending, .tools, .counters]
}
