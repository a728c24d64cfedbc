import GatehouseCore

/// A gateway's answer to one of our commands, decoded.
public enum CommandReply: Sendable {
    case call(CallRecord)
    case killSwitch(KillSwitchInfo)
    case tool(ToolInfo)
    case reloaded(PolicySummary, warnings: [String])
}
