import Foundation
import GatehouseCore
import Testing
@testable import GatehouseCLI

/// wrap-config: every stdio server goes through gatehouse serve, everything else is kept, and
/// wrapping twice changes nothing.
@Suite struct SetupWrapConfigTests {
    let wrapper = ConfigWrapper(gatehouse: "/opt/gh/bin/gatehouse", policy: { "/etc/gatehouse/\($0).yaml" })

    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text, options: .init(allowComments: true)) }

    func strings(_ v: JSONValue?) -> [String] { v?.arrayValue?.compactMap(\.stringValue) ?? [] }

    @Test func claudeDesktopServersAreWrappedAndEverythingElseKept() throws {
        let out = try wrapper.wrap(parse(SetupFixtures.claudeDesktop))
        let servers = try #require(out.config["mcpServers"]?.objectValue)
        #expect(out.config["globalShortcut"] == "Ctrl+Space")
        #expect(out.config.objectValue?.keys == ["globalShortcut", "mcpServers"])
        #expect(servers.keys == ["git", "filesystem", "linear", "odd", "bare"], "order kept")

        let git = try #require(servers["git"])
        #expect(git["command"] == "/opt/gh/bin/gatehouse")
        #expect(strings(git["args"]) == ["serve", "--policy", "/etc/gatehouse/git.yaml", "--name", "git", "--",
                                         "uvx", "mcp-server-git", "--repository", "/home/me/src/app"])
        #expect(git["env"] == ["GIT_AUTHOR_NAME": "Me"])
        #expect(git.objectValue?.keys == ["command", "args", "env"])
        #expect(strings(servers["filesystem"]?["args"]).suffix(4) == ["npx", "-y", "@modelcontextprotocol/server-filesystem",
                                                                        "/home/me/Documents", "/tmp/with space"].suffix(4))
        #expect(strings(servers["bare"]?["args"]).suffix(2) == ["--", "mcp-server-time"])
        // Left alone, each with a note.
        #expect(servers["linear"] == ["url": "https://mcp.linear.app/sse"])
        #expect(servers["odd"]?["command"] == "run-me")
        let kinds = Dictionary(uniqueKeysWithValues: out.notes.map { ($0.server, $0.kind) })
        #expect(kinds == ["git": .wrapped, "filesystem": .wrapped, "linear": .remote, "odd": .skipped, "bare": .wrapped])
        #expect(out.changed)
    }

    @Test func wrappingTwiceChangesNothing() throws {
        for fixture in [SetupFixtures.claudeDesktop, SetupFixtures.vscode, SetupFixtures.cursorHalfWrapped] {
            let once = try wrapper.wrap(parse(fixture))
            let twice = try wrapper.wrap(parse(once.text))
            #expect(!twice.changed)
            #expect(twice.text == once.text)
            #expect(twice.notes.allSatisfy { $0.kind != .wrapped })
        }
    }

    @Test func vscodeServersKeepTheirTypeAndHTTPServersAreLeftAlone() throws {
        let out = try wrapper.wrap(parse(SetupFixtures.vscode))
        let time = try #require(out.config["servers"]?["time"])
        #expect(time["type"] == "stdio" && time["envFile"] == "${workspaceFolder}/.env")
        #expect(strings(time["args"]).first == "serve")
        #expect(out.config["servers"]?["github"] == ["type": "http", "url": "https://api.githubcopilot.com/mcp/"])
        #expect(out.config["inputs"]?.arrayValue?.count == 1)
    }

    @Test func anAlreadyWrappedServerIsNotWrappedAgain() throws {
        let out = try wrapper.wrap(parse(SetupFixtures.cursorHalfWrapped))
        let exchange = try #require(out.config["mcpServers"]?["exchange"])
        #expect(exchange["command"] == "/usr/local/bin/gatehouse")
        #expect(strings(exchange["args"]).contains("/etc/gatehouse/exchange.yaml"))
        #expect(out.notes.first { $0.server == "exchange" }?.kind == .alreadyWrapped)
        #expect(out.notes.first { $0.server == "time" }?.kind == .wrapped)
    }

    @Test func filesWithoutServersAreRefused() throws {
        #expect(throws: ConfigWrapper.Failure.self) { try wrapper.wrap(parse(SetupFixtures.notAClientConfig)) }
        #expect(throws: ConfigWrapper.Failure.self) { try wrapper.wrap(["mcpServers": ["a", "b"]]) }
        #expect(throws: ConfigWrapper.Failure.self) { try wrapper.wrap(["x"]) }
    }

    // MARK: - The command, on real files

    @Test func theCommandBacksUpWritesAndIsIdempotent() throws {
        let dir = try ScratchDir()
        let file = try dir.write("claude_desktop_config.json", SetupFixtures.claudeDesktop)
        chmod(file, 0o600)
        try WrapConfigCommand.parse([file, "--policy", dir.file("p.yaml")]).run()

        let backups = dir.list().filter { $0.hasPrefix("claude_desktop_config.json.bak-") }
        #expect(backups.count == 1)
        #expect(try dir.read(backups[0]) == SetupFixtures.claudeDesktop, "the backup is the original")
        let rewritten = try dir.read("claude_desktop_config.json")
        let git = try parse(rewritten)["mcpServers"]?["git"]
        #expect(strings(git?["args"]).prefix(3) == ["serve", "--policy", .init(dir.file("p.yaml"))])
        #expect(git?["command"]?.stringValue?.hasPrefix("/") == true)
        var st = stat()
        stat(file, &st)
        #expect(st.st_mode & 0o777 == 0o600, "the file keeps its mode")

        try WrapConfigCommand.parse([file, "--policy", dir.file("p.yaml")]).run()
        #expect(try dir.read("claude_desktop_config.json") == rewritten)
        #expect(dir.list().filter { $0.contains(".bak-") }.count == 1, "no change, no second backup")
        #expect(!dir.list().contains { $0.contains(".tmp-") })
    }

    @Test func dryRunWritesNothing() throws {
        let dir = try ScratchDir()
        let file = try dir.write("mcp.json", SetupFixtures.vscode)
        try WrapConfigCommand.parse([file, "--dry-run"]).run()
        #expect(try dir.read("mcp.json") == SetupFixtures.vscode)
        #expect(dir.list() == ["mcp.json"])
    }

    @Test func aLinkedConfigIsRewrittenWhereItLivesAndStaysLinked() throws {
        let dir = try ScratchDir()
        let real = try dir.write("real.json", SetupFixtures.cursorHalfWrapped)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: real)
        try WrapConfigCommand.parse([dir.file("link.json")]).run()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.json")) == real)
        #expect(try dir.read("real.json").contains("\"serve\""))
        let time = try parse(dir.read("real.json"))["mcpServers"]?["time"]
        let args = strings(time?["args"])
        #expect(args.contains(GatewayWrapping.defaultPolicy(name: "time")))
    }

    @Test func unreadableOrInvalidFilesFailWithoutWriting() throws {
        let dir = try ScratchDir()
        #expect(throws: (any Error).self) { try WrapConfigCommand.parse([dir.file("missing.json")]).run() }
        let bad = try dir.write("bad.json", "{\"mcpServers\": ")
        #expect(throws: (any Error).self) { try WrapConfigCommand.parse([bad]).run() }
        #expect(try dir.read("bad.json") == "{\"mcpServers\": ")
        #expect(dir.list() == ["bad.json"])
    }
}

extension SetupWrapConfigTests {
    /// Whatever the binary is called, what it wrapped it recognises.
    @Test func aBinaryNotNamedGatehouseStillRecognisesItsOwnWrapping() throws {
        let other = ConfigWrapper(gatehouse: "/opt/gh/gatehouse-0.2", policy: { "/p/\($0).yaml" })
        let once = try other.wrap(parse(SetupFixtures.claudeDesktop))
        let twice = try other.wrap(parse(once.text))
        #expect(!twice.changed && twice.text == once.text)
    }
}
