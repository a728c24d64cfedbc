/// The key map as Markdown tables, one per context, for docs/dashboard.md; a test holds the
/// document to this output, so the documented keys are always the real ones.
extension KeyMap {
    public func markdown(glyphs: Glyphs = .unicode) -> String {
        var out: [String] = []
        for context in KeyContext.allCases {
            let own = bindings.filter { $0.contexts.contains(context) }
            guard !own.isEmpty else { continue }
            out.append("#### \(context.title)\n")
            out.append("| keys | what they do |")
            out.append("| --- | --- |")
            for b in own {
                let keys = b.keys.map { "`\($0.label(glyphs))`" }.joined(separator: " ")
                out.append("| \(keys) | \(b.help)\(b.isDecision ? " *(off with `--read-only`)*" : "") |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
