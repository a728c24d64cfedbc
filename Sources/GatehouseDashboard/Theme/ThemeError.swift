/// Problems found in theme files, each with `file:line:`, all reported at once so a
/// theme author can fix a file in one pass.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
        public var file: String
        /// 1-based; 0 when the problem is not on a particular line (a missing file).
        public var line: Int
        public var message: String

        public var description: String {
            line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        }
    }

    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(file: String, line: Int = 0, _ message: String) {
        self.diagnostics = [Diagnostic(file: file, line: line, message: message)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
