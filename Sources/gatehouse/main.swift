import GatehouseCLI

GatehouseCommand.main()
