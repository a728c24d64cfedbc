/// A small menu of choices (approval scope, tool override): a selection moved with the
/// menu keys, Enter to choose, Esc to cancel, and an optional letter per item that
/// chooses it at once. Pure state like `LineEditor`; `draw` renders it in a frame.
public struct ChoiceMenu<Choice: Hashable & Sendable>: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var choice: Choice
        public var label: String
        /// Typing this chooses the item directly; must not be a menu key (j, k, ...).
        public var shortcut: Character?

        public init(_ choice: Choice, _ label: String, shortcut: Character? = nil) {
            self.choice = choice
            self.label = label
            self.shortcut = shortcut
        }
    }

    public enum Outcome: Hashable, Sendable {
        case pending
        case chosen(Choice)
        case cancelled
    }

    public let title: String
    public let items: [Item]
    public private(set) var selectedIndex: Int

    /// - Parameter selected: the item selected at first (the safest one, usually).
    public init(title: String, items: [Item], selected: Int = 0, keyMap: KeyMap = .standard) {
        precondition(!items.isEmpty, "a menu needs at least one item")
        for item in items {
            if let s = item.shortcut {
                precondition(keyMap.action(for: .char(s), in: .menu, readOnly: false) == nil,
                             "shortcut '\(s)' is already a menu key")
            }
        }
        self.title = title
        self.items = items
        self.selectedIndex = min(max(0, selected), items.count - 1)
    }

    public var selected: Item { items[selectedIndex] }

    public mutating func handle(_ key: Key, keyMap: KeyMap = .standard) -> Outcome {
        switch keyMap.action(for: key, in: .menu, readOnly: false) {
        case .moveUp?: selectedIndex = (selectedIndex + items.count - 1) % items.count
        case .moveDown?: selectedIndex = (selectedIndex + 1) % items.count
        case .confirm?: return .chosen(selected.choice)
        case .cancel?: return .cancelled
        default:
            if case .char(let c) = key, let hit = items.firstIndex(where: { $0.shortcut == c }) {
                selectedIndex = hit
                return .chosen(items[hit].choice)
            }
        }
        return .pending
    }

    /// Draws the menu in a frame centred on `canvas`; returns the frame.
    @discardableResult
    public func draw(on canvas: Canvas) -> Rect {
        let g = canvas.glyphs
        let labelWidth = items.map { TerminalText.width($0.label) }.max() ?? 0
        let width = max(labelWidth + 8, TerminalText.width(title) + 6)
        let frame = canvas.bounds.centered(Size(rows: items.count + 2, cols: width))
        let inner = canvas.drawBox(frame, title: title, style: .borderFocused)
        let body = canvas.region(inner)
        for (i, item) in items.enumerated() {
            let isSelected = i == selectedIndex
            let style: Style = isSelected ? .selected : .normal
            if isSelected { body.clearLine(i, style: .selected) }
            body.put(row: i, col: 0, text: isSelected ? g.pointer : " ", style: style)
            body.put(row: i, col: 2, text: item.shortcut.map(String.init) ?? " ", style: isSelected ? .selected : .keyHint)
            body.put(row: i, col: 4, text: item.label, style: style)
        }
        return frame
    }
}
