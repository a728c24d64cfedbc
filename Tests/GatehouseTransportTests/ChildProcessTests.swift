import Glibc
import Testing
@testable import GatehouseTransport

@Suite struct ChildProcessTests {
    @Test func catEchoesLinesBackAndExitsCleanlyOnEndOfInput() throws {
        let child = try ChildProcess.spawn("cat")
        try child.stdin.writeLine("{\"jsonrpc\":\"2.0\"}")
        #expect(try child.stdout.next() == line("{\"jsonrpc\":\"2.0\"}"))
        try child.stdin.writeLine("second")
        #expect(try child.stdout.next() == line("second"))
        child.closeStdin()
        #expect(try child.stdout.next() == nil)
        #expect(child.waitForExit(timeout: patience) == .exited(0))
    }

    @Test func reportsExitCodes() throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "exit 3"])
        let status = child.waitForExit(timeout: patience)
        #expect(status == .exited(3))
        #expect(status?.isSuccess == false)
        #expect(child.exitStatus == .exited(3))
    }

    @Test func reportsDeathBySignal() throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "kill -USR1 $$"])
        let status = child.waitForExit(timeout: patience)
        #expect(status == .signaled(SIGUSR1))
        #expect(status?.description.contains("signal \(SIGUSR1)") == true)
    }

    @Test func failsClearlyWhenTheCommandDoesNotExist() {
        #expect(throws: TransportError.commandNotFound("gatehouse-no-such-command")) {
            try ChildProcess.spawn("gatehouse-no-such-command")
        }
        #expect(TransportError.commandNotFound("foo").description == "command not found: foo")
        #expect(throws: TransportError.commandNotFound("/nonexistent/dir/tool")) {
            try ChildProcess.spawn("/nonexistent/dir/tool")
        }
    }

    @Test func failsClearlyWhenTheCommandIsNotExecutable() throws {
        let dir = try TempDir()
        let script = dir.file("tool")
        let fd = open(script, O_CREAT | O_WRONLY, 0o644)
        writeAll(fd, Array("#!/bin/sh\nexit 0\n".utf8))
        close(fd)
        // Even root may not execute a file without any execute bit.
        #expect(throws: TransportError.commandNotExecutable(script)) { try ChildProcess.spawn(script) }
    }

    @Test func passesArgumentsAndTheGivenEnvironment() throws {
        let child = try ChildProcess.spawn(
            "/bin/sh", arguments: ["-c", "echo \"$1 $GATEHOUSE_TEST\"", "sh", "two words"],
            environment: ["GATEHOUSE_TEST": "set"]
        )
        #expect(try child.stdout.next() == line("two words set"))
        #expect(child.waitForExit(timeout: patience) == .exited(0))
    }

    @Test func childStartsWithDefaultSignalDispositions() throws {
        Transport.ignoreSIGPIPE()
        let child = try ChildProcess.spawn("grep", arguments: ["SigIgn", "/proc/self/status"])
        let events = try drain(child.stdout)
        #expect(child.waitForExit(timeout: patience) == .exited(0))
        guard events.count == 1, case .line(let bytes) = events[0],
              let mask = UInt64(String(decoding: bytes, as: UTF8.self).dropFirst("SigIgn:\t".count), radix: 16) else {
            Issue.record("unexpected output \(events)")
            return
        }
        // Signals 1...31 (SIGPIPE above all) must be back at their default; glibc itself
        // leaves its internal real-time signals ignored, and the child's libc re-arms them.
        #expect(mask & 0x7FFF_FFFF == 0, "ignored: \(String(mask, radix: 16))")
    }

    @Test func childInheritsNoDescriptorButStdio() throws {
        // A descriptor someone opened without O_CLOEXEC must not leak either.
        let leaky = open("/dev/null", O_RDONLY)
        defer { close(leaky) }
        let child = try ChildProcess.spawn("ls", arguments: ["/proc/self/fd"])
        let open = Set(try drain(child.stdout).compactMap { event -> Int? in
            guard case .line(let bytes) = event else { return nil }
            return Int(String(decoding: bytes, as: UTF8.self))
        })
        #expect(child.waitForExit(timeout: patience) == .exited(0))
        // ls itself holds one more descriptor for the directory it lists.
        #expect(open.isSubset(of: [0, 1, 2, 3]) && open.isSuperset(of: [0, 1, 2]), "child had \(open.sorted()) open")
    }

    @Test func childLeadsItsOwnProcessGroup() throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "echo ready; exec sleep 30"])
        #expect(try child.stdout.next() == line("ready"))
        #expect(getpgid(child.pid) == child.pid)
        #expect(child.terminate(grace: patience) == .signaled(SIGTERM))
    }

    @Test func canStayInOurProcessGroup() throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "echo ready; exec sleep 30"], newProcessGroup: false)
        #expect(try child.stdout.next() == line("ready"))
        #expect(getpgid(child.pid) == getpgid(0))
        #expect(child.terminate(grace: patience) == .signaled(SIGTERM))
    }

    @Test func terminateEscalatesToSIGKILLForTheWholeGroup() throws {
        // The trap is inherited by sleep, so nobody in the group dies of SIGTERM.
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "trap '' TERM; echo ready; sleep 30; echo survived"])
        #expect(try child.stdout.next() == line("ready"))
        #expect(child.terminate(grace: .milliseconds(200)) == .signaled(SIGKILL))
        // The grandchild held stdout too: end of file proves it died with the group.
        let rest = try onThread { try drain(child.stdout) }
        #expect(try rest.value() == [])
    }

    @Test func reapsChildrenAndTellsEveryListener() async throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "exit 7"])
        let seen = Completion<ChildExitStatus>()
        child.onExit { seen.complete($0) }
        #expect(await child.exited() == .exited(7))
        #expect(seen.wait(timeout: patience) == .exited(7))
        // Reaped already: no zombie is left for anyone to collect.
        var status: Int32 = 0
        #expect(waitpid(child.pid, &status, WNOHANG) == -1 && errno == ECHILD)
        // A late subscriber hears about it right away; signalling the dead is a no-op.
        let late = Completion<ChildExitStatus>()
        child.onExit { late.complete($0) }
        #expect(late.current == .exited(7))
        #expect(child.signal(SIGTERM) == false)
        #expect(child.terminate(grace: .zero) == .exited(7))
    }

    @Test func writingToAnExitedChildIsAnError() throws {
        let child = try ChildProcess.spawn("/bin/sh", arguments: ["-c", "exit 0"])
        #expect(child.waitForExit(timeout: patience) == .exited(0))
        #expect(throws: TransportError.brokenPipe) { try child.stdin.writeLine("anyone?") }
    }
}
