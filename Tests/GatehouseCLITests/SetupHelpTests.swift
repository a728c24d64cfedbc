import ArgumentParser
import Foundation
import Testing
@testable import GatehouseCLI

/// Every command added here explains itself with examples, and shell completion covers them.
@Suite struct SetupHelpTests {
    static let commands: [(name: String, type: any ParsableCommand.Type)] = [
        ("demo", DemoCommand.self), ("demo-server", DemoServerCommand.self), ("install-snippet", InstallSnippetCommand.self),
        ("wrap-config", WrapConfigCommand.self), ("init", PolicyInitCommand.self),
    ]

    @Test(arguments: commands.map(\.name))
    func helpHasExamples(_ name: String) throws {
        let type = try #require(Self.commands.first { $0.name == name }?.type)
        let help = GatehouseCommand.helpMessage(for: type, columns: 120)
        #expect(help.contains("Examples:"), "\(name)")
        #expect(help.contains("gatehouse "), "\(name)")
    }

    @Test func theHiddenServerStaysOutOfTheRootHelp() {
        let help = GatehouseCommand.helpMessage(columns: 120)
        #expect(help.contains("install-snippet") && help.contains("wrap-config") && help.contains("demo"))
        #expect(!help.contains("demo-server"))
    }

    @Test(arguments: [CompletionShell.bash, .zsh, .fish])
    func completionScriptsKnowTheNewCommands(_ shell: CompletionShell) {
        let script = GatehouseCommand.completionScript(for: shell)
        for word in ["demo", "install-snippet", "wrap-config", "claude-desktop", "no-dashboard", "dry-run"] {
            #expect(script.contains(word), "\(shell): \(word)")
        }
    }

    @Test func theBinaryGeneratesABashScriptThatBashAccepts() throws {
        _ = try requireBinary()
        let r = try runGatehouse(["--generate-completion-script", "bash"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("-F _gatehouse gatehouse") && r.out.contains("install-snippet"))
        let dir = try ScratchDir()
        let script = try dir.write("gatehouse.bash", r.out + "\n")
        // Sourcing it defines the completion function; `bash -n` alone would only check syntax.
        let check = try CLIProcess(["-c", "source \(script) && complete -p gatehouse"], executable: "/bin/bash")
        check.closeStdin()
        #expect(check.finish() == 0, "\(check.stderrText)")
        #expect(check.stdoutLines.joined().contains("gatehouse"))
    }
}
