/// Everything a key can ask the dashboard to do. Views switch over these; the key map
/// decides which key means which action where.
public enum Action: String, CaseIterable, Hashable, Sendable {
    // App
    case help, quit, redraw, filter, back
    // Panels
    case nextPanel, previousPanel, showStream, showPending, showTools, showCounters
    // Moving in lists and text
    case moveUp, moveDown, pageUp, pageDown, top, bottom, open
    // Live stream
    case togglePause, toggleFollow
    // Decisions: these change what the gateway does, so read-only mode drops them
    case approve, approveWithScope, deny, approveAll, denyAll, killSwitch, overrideTool, reloadPolicy
    // Dialogs, menus, prompts
    case confirm, cancel
    // Line editing in prompts
    case cursorLeft, cursorRight, lineStart, lineEnd, deleteBackward, deleteForward, deleteWord, clearInput

    /// Actions that change the gateway's behaviour. `--read-only` disables every one.
    public var isDecision: Bool {
        switch self {
        case .approve, .approveWithScope, .deny, .approveAll, .denyAll, .killSwitch, .overrideTool, .reloadPolicy: true
        default: false
        }
    }
}
