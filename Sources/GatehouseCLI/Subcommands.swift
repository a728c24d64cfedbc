import ArgumentParser

extension GatehouseCommand {
    /// Registered here in one place, so adding a command is one line.
    static let subcommandList: [any ParsableCommand.Type] = [
        DashCommand.self,
        ServeCommand.self,
        PolicyCommand.self,
        CtlCommand.self,
        AuditCommand.self,
        DemoCommand.self,
        DemoServerCommand.self,
        InstallSnippetCommand.self,
        WrapConfigCommand.self,
    ]
}
