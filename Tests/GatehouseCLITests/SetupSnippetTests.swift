import Foundation
import GatehouseCore
import Testing
@testable import GatehouseCLI

/// install-snippet: the exact configuration each client reads, pointing at gatehouse serve.
@Suite struct SetupSnippetTests {
    let server = ["npx", "-y", "@modelcontextprotocol/server-filesystem", "/data dir"]
    let gatehouse = "/opt/gh/bin/gatehouse"

    func snippet(_ client: MCPClientKind) throws -> JSONValue {
        try JSONParser.parse(ClientSnippet.render(client: client, name: "files", gatehouse: gatehouse, policy: "/p/files.yaml",
                                                  server: server))
    }

    var wrappedArgs: JSONValue {
        .array((["serve", "--policy", "/p/files.yaml", "--name", "files", "--"] + server).map(JSONValue.string))
    }

    @Test func claudeDesktopAndCursorUseMcpServers() throws {
        for client in [MCPClientKind.claudeDesktop, .cursor] {
            let s = try snippet(client)
            #expect(s.objectValue?.keys == ["mcpServers"])
            #expect(s["mcpServers"]?["files"] == ["command": .string(gatehouse), "args": wrappedArgs])
        }
    }

    @Test func vscodeUsesServersWithAStdioType() throws {
        let s = try snippet(.vscode)
        #expect(s.objectValue?.keys == ["servers"])
        #expect(s["servers"]?["files"] == ["type": "stdio", "command": .string(gatehouse), "args": wrappedArgs])
    }

    @Test func claudeCodeGetsACommandLineQuotedForTheShell() {
        let line = ClientSnippet.render(client: .claudeCode, name: "files", gatehouse: "/opt/my tools/gatehouse", policy: "/p/files.yaml",
                                        server: server)
        #expect(line == "claude mcp add files -- '/opt/my tools/gatehouse' serve --policy /p/files.yaml --name files -- "
                + "npx -y @modelcontextprotocol/server-filesystem '/data dir'\n")
        #expect(ShellQuote.quote("it's") == #"'it'\''s'"#)
    }

    @Test func namesAreGuessedFromWhatTheLauncherRuns() {
        #expect(GatewayWrapping.guessName(["npx", "-y", "@modelcontextprotocol/server-filesystem", "/data"]) == "server-filesystem")
        #expect(GatewayWrapping.guessName(["uvx", "mcp-server-git", "--repository", "."]) == "mcp-server-git")
        #expect(GatewayWrapping.guessName(["uv", "run", "exchange_server.py"]) == "exchange_server")
        #expect(GatewayWrapping.guessName(["/usr/local/bin/mcp-server-time"]) == "mcp-server-time")
        #expect(GatewayWrapping.guessName(["npx", "some-server@1.2.3"]) == "some-server")
        #expect(GatewayWrapping.guessName(["python3", "-m"]) == "python3")
    }

    @Test func pathsBecomeAbsolute() {
        #expect(GatewayWrapping.absolute("p.yaml", cwd: "/home/me/proj") == "/home/me/proj/p.yaml")
        #expect(GatewayWrapping.absolute("../p.yaml", cwd: "/home/me/proj") == "/home/me/p.yaml")
        #expect(GatewayWrapping.absolute("/etc/p.yaml", cwd: "/x") == "/etc/p.yaml")
        #expect(GatewayWrapping.defaultPolicy(name: "files", environment: ["HOME": "/home/me"]) == "/home/me/.config/gatehouse/files.yaml")
        #expect(GatewayWrapping.defaultPolicy(name: "a/b", environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/cfg"]) == "/cfg/gatehouse/a-b.yaml")
    }

    @Test func theInvokedBinaryIsFoundTheWayTheShellFoundIt() throws {
        let dir = try ScratchDir()
        let bin = dir.file("gatehouse")
        _ = FileManager.default.createFile(atPath: bin, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        #expect(GatehouseExecutable.invoked(argv0: "gatehouse", cwd: "/", path: "/nonexistent:\(dir.path)") == bin)
        #expect(GatehouseExecutable.invoked(argv0: "./bin/../gatehouse", cwd: "/usr/local", path: "") == "/usr/local/gatehouse")
        #expect(GatehouseExecutable.invoked(argv0: "/opt//gh/./gatehouse", cwd: "/", path: "") == "/opt/gh/gatehouse")
    }

    @Test func theBinaryPrintsItsOwnAbsolutePath() throws {
        let exe = try requireBinary()
        let r = try runGatehouse(["install-snippet", "--client", "cursor", "--name", "time", "--policy", "/p/time.yaml", "--",
                                  "uvx", "mcp-server-time"])
        #expect(r.status == 0, "\(r.err)")
        let s = try JSONParser.parse(r.out)
        #expect(s["mcpServers"]?["time"]?["command"]?.stringValue == exe)
        #expect(r.err.contains("~/.cursor/mcp.json"))
        #expect(r.err.contains("gatehouse policy init --output /p/time.yaml -- uvx mcp-server-time"))
    }

    @Test func optionsAreChecked() {
        #expect(throws: (any Error).self) { try InstallSnippetCommand.parse(["--client", "cursor"]) }
        #expect(throws: (any Error).self) { try InstallSnippetCommand.parse(["--client", "emacs", "--", "srv"]) }
        #expect(throws: (any Error).self) { try InstallSnippetCommand.parse(["--", "srv"]) }
        #expect((try? InstallSnippetCommand.parse(["--client", "claude-code", "--", "srv", "-v"]))?.command == ["srv", "-v"])
    }
}
