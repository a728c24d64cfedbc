/// Quotes words for a POSIX shell, so a printed command can be pasted as it is.
enum ShellQuote {
    static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_-+=:,./")

    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func join(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }
}
