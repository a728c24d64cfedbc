import GatehouseCLI

GatehouseCommand.main(CtlArguments.normalize(Array(CommandLine.arguments.dropFirst())))
