import Foundation
import GatehouseCore

/// How a client's server entry is rewritten to go through Gatehouse: the client starts
/// `gatehouse serve`, which starts the original server behind the policy.
enum GatewayWrapping {
    /// `gatehouse serve --policy P --name N -- original command and arguments`.
    static func arguments(policy: String, name: String, server: [String]) -> [String] {
        ["serve", "--policy", policy, "--name", name, "--"] + server
    }

    /// True for an entry that already starts a gatehouse gateway: this binary, or one named gatehouse.
    static func isWrapped(command: String, args: [String], gatehouse: String) -> Bool {
        (command == gatehouse || (command as NSString).lastPathComponent == "gatehouse") && args.first == "serve"
    }

    /// Where a server's policy lives unless --policy says: `$XDG_CONFIG_HOME/gatehouse/NAME.yaml`,
    /// else `~/.config/gatehouse/NAME.yaml`. `policy init --output` can write it there.
    static func defaultPolicy(name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return config + "/gatehouse/" + DefaultPaths.sanitizedName(name) + ".yaml"
    }

    /// A path as a client will use it from whatever directory it starts servers in: absolute.
    static func absolute(_ path: String, cwd: String = FileManager.default.currentDirectoryPath) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst() }
        return GatehouseExecutable.normalized(cwd + "/" + path)
    }

    /// A name for a server from its command: the package or script it runs, not the launcher
    /// (`npx -y @modelcontextprotocol/server-filesystem /data` → `server-filesystem`).
    static func guessName(_ command: [String]) -> String {
        let launchers: Set<String> = ["npx", "uvx", "uv", "pipx", "bunx", "bun", "node", "deno", "python", "python3", "docker",
                                      "pnpm", "yarn", "npm", "sh", "bash"]
        let verbs: Set<String> = ["run", "x", "exec", "dlx", "tool"]
        guard let first = command.first else { return "server" }
        var word = (first as NSString).lastPathComponent
        if launchers.contains(word) {
            if let target = command.dropFirst().first(where: { !$0.hasPrefix("-") && !verbs.contains($0) }) { word = target }
        }
        if word.hasPrefix("@"), let slash = word.firstIndex(of: "/") { word = String(word[word.index(after: slash)...]) }
        if let at = word.lastIndex(of: "@"), at != word.startIndex { word = String(word[..<at]) }
        word = (word as NSString).lastPathComponent
        for ext in [".py", ".js", ".mjs", ".ts"] where word.hasSuffix(ext) { word.removeLast(ext.count) }
        return DefaultPaths.sanitizedName(word.isEmpty ? "server" : word)
    }
}
