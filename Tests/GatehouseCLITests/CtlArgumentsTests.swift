import GatehouseCLI
import Testing

@Suite struct CtlArgumentsTests {
    @Test func targetOptionsBeforeTheSubcommandMoveAfterIt() {
        #expect(CtlArguments.normalize(["ctl", "--control", "/s.sock", "approve", "ab12", "--for", "10m"])
                == ["ctl", "approve", "--control", "/s.sock", "ab12", "--for", "10m"])
        #expect(CtlArguments.normalize(["ctl", "--name=exchange", "--json", "pending"])
                == ["ctl", "pending", "--name=exchange", "--json"])
        #expect(CtlArguments.normalize(["--name", "exchange", "ctl", "tail", "--json"])
                == ["ctl", "tail", "--name", "exchange", "--json"])
    }

    @Test func everythingElseIsLeftAlone() {
        #expect(CtlArguments.normalize(["ctl", "approve", "ab12", "--control", "/s"]) == ["ctl", "approve", "ab12", "--control", "/s"])
        #expect(CtlArguments.normalize(["serve", "--name", "x", "--", "ctl", "--name", "y"]) == ["serve", "--name", "x", "--", "ctl", "--name", "y"])
        #expect(CtlArguments.normalize(["ctl", "--help"]) == ["ctl", "--help"])
        #expect(CtlArguments.normalize([]) == [])
    }
}
