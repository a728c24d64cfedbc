/// The key map: one declarative table (`KeyMap.standard`, in KeyMapTable.swift) that
/// input handling, the hint line and the help overlay all read, so they cannot disagree.
public struct KeyMap: Sendable {
    public let bindings: [KeyBinding]
    private let index: [KeyContext: [Key: KeyBinding]]

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
        var index: [KeyContext: [Key: KeyBinding]] = [:]
        for context in KeyContext.allCases {
            var map: [Key: KeyBinding] = [:]
            // Context bindings first, so they win over a global one in `index` (the
            // validation test still reports such shadowing as a conflict).
            for b in Self.effective(bindings, in: context) {
                for k in b.keys where map[k] == nil { map[k] = b }
            }
            index[context] = map
        }
        self.index = index
    }

    /// What a key press means.
    public enum Lookup: Hashable, Sendable {
        case action(Action)
        /// Bound to a decision, but the dashboard is read-only: say so instead of ignoring it.
        case blockedByReadOnly(Action)
        case unbound
    }

    public func lookup(_ key: Key, in context: KeyContext, readOnly: Bool) -> Lookup {
        guard let binding = index[context]?[key] else { return .unbound }
        if readOnly && binding.isDecision { return .blockedByReadOnly(binding.action) }
        return .action(binding.action)
    }

    /// The action for `key` in `context`, or nil (unbound, or a decision while read-only).
    public func action(for key: Key, in context: KeyContext, readOnly: Bool) -> Action? {
        if case .action(let a) = lookup(key, in: context, readOnly: readOnly) { return a }
        return nil
    }

    /// The bindings that work in `context`: its own, then the global ones if it takes them.
    public func bindings(in context: KeyContext, readOnly: Bool) -> [KeyBinding] {
        Self.effective(bindings, in: context).filter { !(readOnly && $0.isDecision) }
    }

    /// Keys that trigger `action` in `context` (for a dialog saying "press y").
    public func keys(for action: Action, in context: KeyContext) -> [Key] {
        bindings(in: context, readOnly: false).filter { $0.action == action }.flatMap(\.keys)
    }

    /// Entries for the bottom hint line, most important first.
    public func hints(for context: KeyContext, readOnly: Bool, glyphs: Glyphs = .unicode) -> [KeyHint] {
        bindings(in: context, readOnly: readOnly)
            .filter { $0.hint != nil }
            .enumerated()
            .sorted { ($0.element.hintRank, $0.offset) < ($1.element.hintRank, $1.offset) }
            .map { KeyHint(key: $0.element.keys[0].label(glyphs), label: $0.element.hint!, action: $0.element.action) }
    }

    /// Keys bound more than once where they can meet (a context plus, for panels, the
    /// global ones). Empty for a sound map; the tests hold `standard` to that.
    public func conflicts() -> [(context: KeyContext, key: Key, actions: [Action])] {
        var out: [(KeyContext, Key, [Action])] = []
        for context in KeyContext.allCases {
            var seen: [Key: [Action]] = [:]
            for b in Self.effective(bindings, in: context) {
                for k in b.keys { seen[k, default: []].append(b.action) }
            }
            for (k, actions) in seen where actions.count > 1 { out.append((context, k, actions)) }
        }
        return out
    }

    private static func effective(_ bindings: [KeyBinding], in context: KeyContext) -> [KeyBinding] {
        let own = bindings.filter { $0.contexts.contains(context) }
        guard context.includesGlobal else { return own }
        return own + bindings.filter { $0.contexts.contains(.global) && !$0.contexts.contains(context) }
    }
}
