import Testing
@testable import GatehouseDashboard

@Suite("Key map")
struct KeyMapTests {
    let map = KeyMap.standard

    @Test func everyActionHasABindingWithHelp() {
        for action in Action.allCases {
            let bindings = map.bindings.filter { $0.action == action }
            #expect(!bindings.isEmpty, "\(action) has no key")
            for b in bindings {
                #expect(!b.help.isEmpty, "\(action) has no help text")
                #expect(!b.keys.isEmpty && !b.contexts.isEmpty)
            }
        }
    }

    @Test func everyContextHasBindingsAndAWayOut() {
        for context in KeyContext.allCases {
            let bindings = map.bindings(in: context, readOnly: false)
            #expect(!bindings.isEmpty, "\(context)")
            // Esc always does something: back, cancel or close.
            #expect(map.action(for: .escape, in: context, readOnly: true) != nil, "Esc in \(context)")
        }
    }

    @Test func noKeyIsBoundTwiceWhereBindingsMeet() {
        let conflicts = map.conflicts()
        #expect(conflicts.isEmpty, "\(conflicts.map { "\($0.context): \($0.key) -> \($0.actions)" })")
    }

    @Test func conflictsAreDetected() {
        let broken = KeyMap(bindings: map.bindings + [
            KeyBinding(keys: [.char("q")], action: .deny, contexts: [.pending], hint: nil, hintRank: 0, help: "oops"),
        ])
        let found = broken.conflicts()
        #expect(found.contains { $0.context == .pending && $0.key == .char("q") && Set($0.actions) == [.quit, .deny] })
    }

    @Test func readOnlyRemovesEveryDecision() {
        for context in KeyContext.allCases {
            for binding in map.bindings(in: context, readOnly: false) where binding.isDecision {
                for key in binding.keys {
                    #expect(map.action(for: key, in: context, readOnly: false) == binding.action)
                    #expect(map.action(for: key, in: context, readOnly: true) == nil, "\(key) in \(context)")
                    #expect(map.lookup(key, in: context, readOnly: true) == .blockedByReadOnly(binding.action))
                }
            }
            #expect(!map.bindings(in: context, readOnly: true).contains { $0.isDecision })
            #expect(!map.hints(for: context, readOnly: true).contains { $0.action.isDecision })
        }
        let decisions = Set(map.bindings.filter(\.isDecision).map(\.action))
        #expect(decisions == [.approve, .approveWithScope, .deny, .approveAll, .denyAll, .killSwitch, .overrideTool, .reloadPolicy])
    }

    @Test func familiarKeys() {
        func a(_ k: Key, _ c: KeyContext) -> Action? { map.action(for: k, in: c, readOnly: false) }
        #expect(a(.char("?"), .stream) == .help)
        #expect(a(.char("/"), .tools) == .filter)
        #expect(a(.char("j"), .pending) == .moveDown)
        #expect(a(.down, .pending) == .moveDown)
        #expect(a(.char("k"), .counters) == .moveUp)
        #expect(a(.char("g"), .stream) == .top)
        #expect(a(.char("G"), .stream) == .bottom)
        #expect(a(.pageDown, .detail) == .pageDown)
        #expect(a(.enter, .stream) == .open)
        #expect(a(.escape, .detail) == .back)
        #expect(a(.char("q"), .tools) == .quit)
        #expect(a(.tab, .stream) == .nextPanel)
        #expect(a(.char("2"), .stream) == .showPending)
        #expect(a(.char(" "), .stream) == .togglePause)
        #expect(a(.char("f"), .stream) == .toggleFollow)
        #expect(a(.char("a"), .pending) == .approve)
        #expect(a(.char("A"), .pending) == .approveWithScope)
        #expect(a(.char("d"), .pending) == .deny)
        #expect(a(.ctrl("A"), .pending) == .approveAll)
        #expect(a(.ctrl("D"), .pending) == .denyAll)
        #expect(a(.char("K"), .counters) == .killSwitch)
        #expect(a(.char("o"), .tools) == .overrideTool)
    }

    @Test func modalContextsDoNotTakeGlobalKeys() {
        // Typing a filter must type, not quit or approve.
        for key in [Key.char("q"), .char("a"), .char("K"), .char("/"), .char("?")] {
            #expect(map.action(for: key, in: .filterPrompt, readOnly: false) == nil, "\(key)")
            #expect(map.action(for: key, in: .textPrompt, readOnly: false) == nil, "\(key)")
        }
        // A stray Enter never answers a yes/no question.
        #expect(map.action(for: .enter, in: .confirmation, readOnly: false) == nil)
        #expect(map.action(for: .char("y"), in: .confirmation, readOnly: false) == .confirm)
        // Keys mean what the context says: ^A approves all in a list, goes home in a prompt.
        #expect(map.action(for: .ctrl("A"), in: .pending, readOnly: false) == .approveAll)
        #expect(map.action(for: .ctrl("A"), in: .textPrompt, readOnly: false) == .lineStart)
        #expect(map.action(for: .char("q"), in: .help, readOnly: false) == .cancel)
    }

    @Test func hintsAreOrderedAndContextual() {
        let stream = map.hints(for: .stream, readOnly: false)
        #expect(stream.prefix(2).map(\.key) == ["?", "q"])
        #expect(stream.map(\.label).contains("pause"))
        #expect(!map.hints(for: .tools, readOnly: false).map(\.label).contains("pause"))
        #expect(map.hints(for: .pending, readOnly: false).prefix(5).map(\.label) == ["help", "quit", "approve", "deny", "approve for"])
        #expect(map.hints(for: .confirmation, readOnly: false).map(\.key) == ["y", "n"])
        #expect(map.hints(for: .stream, readOnly: false, glyphs: .ascii).allSatisfy { $0.key.allSatisfy { $0.isASCII } })
    }

    @Test func keysForAnAction() {
        #expect(map.keys(for: .confirm, in: .confirmation) == [.char("y")])
        #expect(map.keys(for: .moveDown, in: .stream) == [.char("j"), .down])
    }

    @Test func helpTextsFitTheOverlay() {
        for b in map.bindings {
            #expect(TerminalText.width(b.help) <= KeyBinding.maxHelpWidth, "\(b.action): \(b.help)")
            #expect(TerminalText.width(b.keyLabel()) <= KeyBinding.maxKeyLabelWidth, "\(b.action): \(b.keyLabel())")
            #expect(TerminalText.width(b.keyLabel(.ascii)) <= KeyBinding.maxKeyLabelWidth, "\(b.action)")
        }
    }
}

@Suite("Hint bar")
struct HintBarTests {
    @Test func drawsKeysAndLabelsInTheirStyles() {
        let s = RecordingScreen(rows: 2, cols: 80)
        let shown = HintBar.draw(KeyMap.standard.hints(for: .pending, readOnly: false), on: s, row: 1)
        #expect(s.rowText(1).hasPrefix("? help  q quit  a approve  d deny"))
        #expect(s.styleAt(row: 1, col: 0) == .keyHint)
        #expect(s.styleAt(row: 1, col: 2) == .keyHintLabel)
        #expect(shown.count == KeyMap.standard.hints(for: .pending, readOnly: false).count
                || TerminalText.width(s.rowText(1).trimmingTrailingSpaces()) > 60)
    }

    @Test func dropsTheLeastImportantWhenNarrow() {
        let s = RecordingScreen(rows: 1, cols: 25)
        let shown = HintBar.draw(KeyMap.standard.hints(for: .stream, readOnly: false), on: s, row: 0)
        #expect(shown.map(\.label) == ["help", "quit", "approve"])
        #expect(s.rowText(0) == "? help  q quit  a approve")
        let narrower = RecordingScreen(rows: 1, cols: 24)
        #expect(HintBar.draw(KeyMap.standard.hints(for: .stream, readOnly: false), on: narrower, row: 0).count == 2)

    }

    @Test func readOnlyHasNoDecisionHints() {
        let s = RecordingScreen(rows: 1, cols: 200)
        HintBar.draw(KeyMap.standard.hints(for: .pending, readOnly: true), on: s, row: 0)
        #expect(!s.rowText(0).contains("approve"))
        #expect(!s.rowText(0).contains("deny"))
    }
}
