import Foundation

/// Finds, reads and resolves themes by name or path.
///
/// Lookup for a NAME (`--theme NAME`, else `GATEHOUSE_THEME`, else `default`):
/// `NAME.theme` in each search directory in order (see `standardSearchPaths`), then the
/// themes compiled into the binary (`default`, `monochrome`). A NAME containing `/` is a
/// file path. `inherit = X` is looked up the same way, except that a file inheriting its
/// own name (a tweaked `default.theme` saying `inherit = default`) gets the next one down.
public struct ThemeLoader: Sendable {
    public var searchPaths: [String]

    public init(searchPaths: [String]) {
        self.searchPaths = searchPaths
    }

    /// A loader over `standardSearchPaths()` for this process.
    public static func standard() -> ThemeLoader {
        ThemeLoader(searchPaths: standardSearchPaths())
    }

    /// `./themes`, then `$XDG_CONFIG_HOME/gatehouse/themes` (else
    /// `~/.config/gatehouse/themes`), then `<executable dir>/../share/gatehouse/themes`.
    public static func standardSearchPaths(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = Bundle.main.executablePath
    ) -> [String] {
        var paths = [(currentDirectory as NSString).appendingPathComponent("themes")]
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            paths.append((xdg as NSString).appendingPathComponent("gatehouse/themes"))
        } else if let home = environment["HOME"], !home.isEmpty {
            paths.append((home as NSString).appendingPathComponent(".config/gatehouse/themes"))
        }
        if let exe = executablePath {
            let dir = ((exe as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
            paths.append(((dir as NSString).appendingPathComponent("../share/gatehouse/themes") as NSString).standardizingPath)
        }
        return paths
    }

    /// The theme to use: the `--theme` flag, else `GATEHOUSE_THEME`, else `default`.
    public static func selectedName(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let f = flag, !f.isEmpty { return f }
        if let e = environment["GATEHOUSE_THEME"], !e.isEmpty { return e }
        return "default"
    }

    /// Loads and resolves the theme `nameOrPath`.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        let source = try locate(nameOrPath, inheritingFrom: nil)
        let (doc, _) = try resolve(source, chain: [])
        return Theme(name: doc.name ?? source.defaultName, description: doc.description ?? "", explicit: doc.entries)
    }

    /// Names of every theme found in the search paths plus the built-in ones, sorted.
    public func availableNames() -> [String] {
        var names = Set(BuiltinThemes.texts.keys)
        for dir in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".theme") { names.insert(String(f.dropLast(6))) }
        }
        return names.sorted()
    }

    // MARK: Sources

    /// Where a theme's text comes from.
    struct Source: Equatable {
        enum Origin: Equatable { case file(String), builtin(String) }
        var origin: Origin
        var text: String

        var label: String {
            switch origin {
            case .file(let p): p
            case .builtin(let n): "<built-in \(n)>"
            }
        }

        var defaultName: String {
            switch origin {
            case .file(let p): ((p as NSString).lastPathComponent as NSString).deletingPathExtension
            case .builtin(let n): n
            }
        }
    }

    /// Candidates for a name, in lookup order: files first, then the built-in copy.
    private func candidates(for name: String) -> [Source.Origin] {
        searchPaths.map { .file((($0 as NSString).appendingPathComponent(name + ".theme") as NSString).standardizingPath) }
            + (BuiltinThemes.texts[name] != nil ? [.builtin(name)] : [])
    }

    func locate(_ nameOrPath: String, inheritingFrom child: Source?) throws(ThemeError) -> Source {
        if nameOrPath.contains("/") {
            var path = (nameOrPath as NSString).expandingTildeInPath
            if !path.hasPrefix("/"), case .file(let childPath)? = child?.origin {
                // A relative path in `inherit` is relative to the inheriting file.
                path = ((childPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
            }
            // One spelling per file, so an inheritance loop is recognised as one.
            path = (path as NSString).standardizingPath
            guard let text = Self.read(path) else {
                throw ThemeError(file: path, "cannot read theme file")
            }
            return Source(origin: .file(path), text: text)
        }
        var list = candidates(for: nameOrPath)
        // `inherit = default` inside a default.theme means the next default down the list.
        if let child, let i = list.firstIndex(of: child.origin) { list = Array(list[(i + 1)...]) }
        for origin in list {
            switch origin {
            case .file(let path):
                if let text = Self.read(path) { return Source(origin: origin, text: text) }
            case .builtin(let name):
                if let text = BuiltinThemes.texts[name] { return Source(origin: origin, text: text) }
            }
        }
        let where_ = child?.label ?? "theme"
        let message = "theme '\(nameOrPath)' not found in \(searchPaths.joined(separator: ", "))"
            + Suggestion.hint(for: nameOrPath, in: availableNames())
        throw ThemeError(file: where_, message)
    }

    /// Parses `source` and merges in everything it inherits; the child's lines win.
    private func resolve(_ source: Source, chain: [Source.Origin]) throws(ThemeError) -> (ThemeDocument, Source) {
        if chain.contains(source.origin) {
            let loop = (chain + [source.origin]).map { Source(origin: $0, text: "").label }.joined(separator: " -> ")
            throw ThemeError(file: source.label, "inheritance loop: \(loop)")
        }
        var doc = try ThemeParser.parse(source.text, file: source.label)
        guard let parentName = doc.inherit else { return (doc, source) }
        let parentSource = try locate(parentName, inheritingFrom: source)
        let (parent, _) = try resolve(parentSource, chain: chain + [source.origin])
        doc.entries = parent.entries.merging(doc.entries) { _, child in child }
        if doc.description == nil { doc.description = parent.description }
        return (doc, source)
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
