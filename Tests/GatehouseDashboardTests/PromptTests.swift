import Testing
@testable import GatehouseDashboard

@Suite("Line editor")
struct LineEditorTests {
    func type(_ text: String, into editor: inout LineEditor, context: KeyContext = .filterPrompt) {
        for c in text { _ = editor.handle(.char(c), in: context) }
    }

    @Test func typingIncludingKeysThatAreCommandsElsewhere() {
        var e = LineEditor()
        type("quit? a/K", into: &e)
        #expect(e.text == "quit? a/K")
        #expect(e.cursor == 9)
    }

    @Test func cursorMovementAndDeletion() {
        var e = LineEditor(text: "hello world")
        #expect(e.handle(.left, in: .filterPrompt) == .edited)
        #expect(e.handle(.backspace, in: .filterPrompt) == .edited)
        #expect(e.text == "hello word")
        _ = e.handle(.home, in: .filterPrompt)
        #expect(e.cursor == 0)
        #expect(e.handle(.backspace, in: .filterPrompt) == .ignored)
        _ = e.handle(.delete, in: .filterPrompt)
        #expect(e.text == "ello word")
        _ = e.handle(.ctrl("E"), in: .filterPrompt)
        #expect(e.cursor == e.text.count)
        _ = e.handle(.ctrl("A"), in: .textPrompt)
        #expect(e.cursor == 0)
    }

    @Test func deleteWordAndClear() {
        var e = LineEditor(text: "tool:write  risk:high  ")
        _ = e.handle(.ctrl("W"), in: .filterPrompt)
        #expect(e.text == "tool:write  ")
        _ = e.handle(.ctrl("W"), in: .filterPrompt)
        #expect(e.text == "")
        e = LineEditor(text: "abc")
        _ = e.handle(.ctrl("U"), in: .textPrompt)
        #expect(e.text == "" && e.cursor == 0)
    }

    @Test func submitAndCancel() {
        var e = LineEditor(text: "risky")
        #expect(e.handle(.enter, in: .textPrompt) == .submitted("risky"))
        #expect(e.handle(.escape, in: .textPrompt) == .cancelled)
    }

    @Test func rejectsControlCharactersAndRespectsMaxLength() {
        var e = LineEditor(maxLength: 3)
        let inserted = e.insert("\u{1B}")
        #expect(!inserted)
        type("abcd", into: &e)
        #expect(e.text == "abc")
    }

    @Test func drawsScrolledToKeepTheCursorVisible() {
        let s = RecordingScreen(rows: 1, cols: 20)
        var e = LineEditor()
        type("0123456789abcdef", into: &e)
        s.beginFrame()
        e.draw(on: s, row: 0, col: 2, width: 8)
        s.endFrame()
        #expect(s.rowText(0) == "  9abcdef" + String(repeating: " ", count: 11))
        #expect(s.cursor?.col == 9)   // after "f", the last cell of the field
        #expect(s.styleAt(row: 0, col: 2) == .prompt)
        // Wide characters are measured in columns.
        var w = LineEditor()
        type("中文", into: &w)
        s.beginFrame()
        w.draw(on: s, row: 0, col: 0, width: 10)
        s.endFrame()
        #expect(s.cursor?.col == 4)
    }
}

@Suite("Typed confirmation (kill switch)")
struct TypedConfirmationTests {
    func feed(_ text: String, _ c: inout TypedConfirmation) -> TypedConfirmation.Outcome {
        var last = TypedConfirmation.Outcome.pending
        for ch in text { last = c.handle(.char(ch)) }
        return last
    }

    @Test func onlyTheExactPhraseThenEnterConfirms() {
        var c = TypedConfirmation(phrase: "prod-east")
        #expect(c.handle(.enter) == .pending)           // a stray Enter does nothing
        #expect(c.mismatch)
        #expect(feed("y", &c) == .pending)
        #expect(!c.mismatch)                             // typing clears the complaint
        _ = c.handle(.backspace)
        #expect(feed("prod-eas", &c) == .pending)
        #expect(!c.matches)
        #expect(c.handle(.enter) == .pending)
        #expect(feed("t", &c) == .pending)
        #expect(c.matches)
        #expect(c.handle(.enter) == .confirmed)
    }

    @Test func caseMatters() {
        var c = TypedConfirmation(phrase: "Prod")
        _ = feed("prod", &c)
        #expect(c.handle(.enter) == .pending)
    }

    @Test func escapeCancels() {
        var c = TypedConfirmation(phrase: "prod-east")
        _ = feed("prod", &c)
        #expect(c.handle(.escape) == .cancelled)
    }

    @Test func shortOrMissingNamesStillNeedRealTyping() {
        #expect(TypedConfirmation(phrase: "").phrase == "yes")
        #expect(TypedConfirmation(phrase: "  ").phrase == "yes")
        #expect(TypedConfirmation(phrase: "gw").phrase == "kill gw")
        #expect(TypedConfirmation(phrase: "edge").phrase == "edge")
    }

    @Test func globalKeysDoNothingInside() {
        var c = TypedConfirmation(phrase: "prod-east")
        #expect(c.handle(.char("q")) == .pending)      // typed, not quit
        #expect(c.handle(.char("K")) == .pending)
        #expect(c.editor.text == "qK")
    }
}

@Suite("Choice menu (approval scope, tool override)")
struct ChoiceMenuTests {
    enum Scope: Hashable, Sendable { case fifteenMinutes, hour, session, always }

    func scopeMenu() -> ChoiceMenu<Scope> {
        ChoiceMenu(title: "Approve for", items: [
            .init(.fifteenMinutes, "15 minutes", shortcut: "1"),
            .init(.hour, "1 hour", shortcut: "h"),
            .init(.session, "this session", shortcut: "s"),
            .init(.always, "always (adds a rule)", shortcut: "a"),
        ])
    }

    @Test func navigateAndChoose() {
        var m = scopeMenu()
        #expect(m.handle(.char("j")) == .pending)
        #expect(m.handle(.down) == .pending)
        #expect(m.selected.choice == .session)
        #expect(m.handle(.up) == .pending)
        #expect(m.handle(.enter) == .chosen(.hour))
    }

    @Test func wrapsAround() {
        var m = scopeMenu()
        _ = m.handle(.char("k"))
        #expect(m.selected.choice == .always)
    }

    @Test func shortcutsChooseAtOnceAndEscCancels() {
        var m = scopeMenu()
        #expect(m.handle(.char("s")) == .chosen(.session))
        #expect(m.handle(.char("z")) == .pending)
        #expect(m.handle(.escape) == .cancelled)
    }

    @Test func drawsSelectionWithBackgroundStyle() {
        let s = RecordingScreen(rows: 10, cols: 40)
        var m = scopeMenu()
        _ = m.handle(.down)
        let frame = m.draw(on: s)
        #expect(s.contains("Approve for"))
        let row = frame.row + 2   // second item
        #expect(s.rowText(row).contains("▶ h 1 hour"))
        #expect(s.styleAt(row: row, col: frame.col + 1) == .selected)
        #expect(s.styleAt(row: row, col: frame.right - 2) == .selected)   // the whole row
        #expect(s.styleAt(row: row + 1, col: frame.col + 3) == .keyHint)
    }
}
