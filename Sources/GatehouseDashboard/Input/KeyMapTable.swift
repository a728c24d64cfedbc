/// The dashboard's bindings. Keys follow what operators already know: `?` help, `/`
/// filter, `j`/`k` and arrows, `g`/`G`, Enter/Esc (k9s, htop, mitmproxy, less, vi).
/// Capitals and control keys guard the actions with the widest effect, and those still
/// ask for confirmation.
extension KeyMap {
    public static let standard = KeyMap(bindings: standardBindings)

    private static let lists = KeyContext.lists
    private static let browse = KeyContext.lists.union([.detail])
    private static let prompts: Set<KeyContext> = [.filterPrompt, .textPrompt]
    private static let decide: Set<KeyContext> = [.stream, .pending, .detail]

    private static func bind(_ keys: [Key], _ action: Action, _ contexts: Set<KeyContext>,
                             hint: String? = nil, rank: Int = 100, _ help: String) -> KeyBinding {
        KeyBinding(keys: keys, action: action, contexts: contexts, hint: hint, hintRank: rank, help: help)
    }

    static let standardBindings: [KeyBinding] = [
        // Everywhere (every panel and the detail view)
        bind([.char("?"), .function(1)], .help, [.global], hint: "help", rank: 0, "show this help"),
        bind([.char("q")], .quit, [.global], hint: "quit", rank: 1, "quit the dashboard"),
        bind([.escape], .back, [.global], hint: "back", rank: 50, "back; clear the filter"),
        bind([.tab], .nextPanel, [.global], hint: "panel", rank: 40, "next panel"),
        bind([.backTab], .previousPanel, [.global], "previous panel"),
        bind([.char("1")], .showStream, [.global], "live stream panel"),
        bind([.char("2")], .showPending, [.global], "pending approvals panel"),
        bind([.char("3")], .showTools, [.global], "tools panel"),
        bind([.char("4")], .showCounters, [.global], "counters panel"),
        bind([.char("K")], .killSwitch, [.global], hint: "kill switch", rank: 45, "kill switch (asks to type)"),
        bind([.char("R")], .reloadPolicy, [.global], "reload the policy file"),
        bind([.ctrl("L")], .redraw, [.global], "redraw the screen"),

        // Lists and the detail view
        bind([.char("k"), .up], .moveUp, browse, "move up"),
        bind([.char("j"), .down], .moveDown, browse, "move down"),
        bind([.pageUp, .ctrl("B")], .pageUp, browse, "page up"),
        bind([.pageDown, .ctrl("F")], .pageDown, browse, "page down"),
        bind([.char("g"), .home], .top, browse, "go to the top"),
        bind([.char("G"), .end], .bottom, browse, "go to the bottom"),
        bind([.char("/")], .filter, lists, hint: "filter", rank: 20, "filter the list"),
        bind([.enter], .open, lists, hint: "details", rank: 21, "open details"),

        // Live stream
        bind([.char(" ")], .togglePause, [.stream], hint: "pause", rank: 22, "pause or resume the stream"),
        bind([.char("f")], .toggleFollow, [.stream], hint: "follow", rank: 23, "follow the newest call"),

        // Decisions on held calls
        bind([.char("a")], .approve, decide, hint: "approve", rank: 10, "approve the held call once"),
        bind([.char("A")], .approveWithScope, decide, hint: "approve for", rank: 12, "approve for a time or always"),
        bind([.char("d")], .deny, decide, hint: "deny", rank: 11, "deny, with optional reason"),
        bind([.ctrl("A")], .approveAll, [.stream, .pending], hint: "approve all", rank: 30, "approve all held (asks)"),
        bind([.ctrl("D")], .denyAll, [.stream, .pending], hint: "deny all", rank: 31, "deny all held (asks)"),
        bind([.char("o")], .overrideTool, [.stream, .tools, .detail], hint: "override", rank: 13,
             "override the tool's policy"),

        // Prompts: filter, deny reason, kill-switch phrase
        bind([.enter], .confirm, [.filterPrompt], hint: "apply", rank: 0, "apply the filter"),
        bind([.enter], .confirm, [.textPrompt], hint: "submit", rank: 0, "submit"),
        bind([.escape], .cancel, prompts, hint: "cancel", rank: 1, "cancel"),
        bind([.left], .cursorLeft, prompts, "cursor left"),
        bind([.right], .cursorRight, prompts, "cursor right"),
        bind([.home, .ctrl("A")], .lineStart, prompts, "start of line"),
        bind([.end, .ctrl("E")], .lineEnd, prompts, "end of line"),
        bind([.backspace], .deleteBackward, prompts, "delete before the cursor"),
        bind([.delete], .deleteForward, prompts, "delete at the cursor"),
        bind([.ctrl("W")], .deleteWord, prompts, "delete the word before"),
        bind([.ctrl("U")], .clearInput, prompts, "clear the line"),

        // Yes/no questions: no Enter, so a stray Enter never answers one
        bind([.char("y")], .confirm, [.confirmation], hint: "yes", rank: 0, "yes, do it"),
        bind([.char("n"), .escape], .cancel, [.confirmation], hint: "no", rank: 1, "no, leave things as they are"),

        // Menus: approval scope, tool override
        bind([.char("k"), .up], .moveUp, [.menu], "previous choice"),
        bind([.char("j"), .down], .moveDown, [.menu], "next choice"),
        bind([.enter], .confirm, [.menu], hint: "choose", rank: 0, "choose"),
        bind([.escape], .cancel, [.menu], hint: "cancel", rank: 1, "cancel"),

        // Help overlay
        bind([.escape, .char("?"), .char("q")], .cancel, [.help], hint: "close", rank: 0, "close help"),
        bind([.char("k"), .up], .moveUp, [.help], "scroll up"),
        bind([.char("j"), .down], .moveDown, [.help], "scroll down"),
        bind([.pageUp], .pageUp, [.help], "page up"),
        bind([.pageDown], .pageDown, [.help], "page down"),
    ]
}
