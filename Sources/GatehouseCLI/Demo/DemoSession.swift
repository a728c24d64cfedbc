import GatehouseCore
import Foundation
import GatehouseDemo
import GatehouseTransport

/// What a running demo has started: the gateway (which starts the demo exchange as its upstream)
/// and the simulated agent connected to it. `stop()` ends all of it and waits until it is gone.
final class DemoSession: Sendable {
    static let gatewayName = "exchange"
    /// The identity the agent's `scope: grant` counters are kept under.
    static let grant = "trading-bot"

    let workspace: DemoWorkspace
    let gateway: ChildProcess
    let agent: SimulatedAgent
    let tools: [String]
    private let agentTask = Locked<Task<Void, Never>?>(nil)
    private let stopped = Locked(false)

    private init(workspace: DemoWorkspace, gateway: ChildProcess, agent: SimulatedAgent, tools: [String]) {
        self.workspace = workspace
        self.gateway = gateway
        self.agent = agent
        self.tools = tools
    }

    /// The gateway's command line: the demo exchange, run by this same binary, is its upstream.
    static func gatewayCommand(executable: String, workspace ws: DemoWorkspace) -> [String] {
        [executable, "serve", "--policy", ws.policy, "--name", gatewayName, "--grant", grant, "--state-dir", ws.state,
         "--control", ws.socket, "--log-level", "warning", "--", executable, "demo-server", "--label", ws.root]
    }

    /// Starts the gateway and connects the agent. When this returns, the control socket is up:
    /// the gateway opens it before it reads its first message.
    static func start(executable: String, workspace: DemoWorkspace, speed: Double,
                      onReport: @escaping @Sendable (AgentReport) -> Void = { _ in }) async throws -> DemoSession {
        let cmd = gatewayCommand(executable: executable, workspace: workspace)
        let gateway: ChildProcess
        do {
            gateway = try ChildProcess.spawn(cmd[0], arguments: Array(cmd.dropFirst()))
        } catch {
            throw DemoError("cannot start the gateway (\(executable)): \(error)")
        }
        let agent = SimulatedAgent(input: gateway.stdoutDescriptor, output: gateway.stdin.fileDescriptor, speed: speed,
                                   onReport: onReport)
        // If the gateway dies the agent's pending requests would never be answered (and the SDK's
        // read loop would spin): end the agent's connection with it.
        gateway.onExit { _ in Task { await agent.disconnect() } }
        let tools: [String]
        do {
            tools = try await agent.connect()
        } catch {
            await agent.disconnect()
            _ = gateway.terminate(grace: .seconds(3))
            let status = gateway.exitStatus.map { " (the gateway \($0))" } ?? ""
            throw DemoError("the simulated agent could not connect to the gateway\(status): \(error)")
        }
        return DemoSession(workspace: workspace, gateway: gateway, agent: agent, tools: tools)
    }

    /// Sets the agent going in the background.
    func startAgent() {
        let agent = self.agent
        agentTask.withLock { task in
            guard task == nil else { return }
            task = Task.detached { await agent.run() }
        }
    }

    /// Stops the agent, then the gateway (closing its stdin is an MCP server's signal to finish;
    /// it then stops the demo exchange), and waits for both. Safe to call more than once.
    /// Blocks: call it from the main thread or a dispatch queue, never from a task.
    func stop() {
        let first = stopped.withLock { s in
            defer { s = true }
            return !s
        }
        guard first else { return }
        let task = agentTask.withLock { $0 }
        let agent = self.agent
        _ = try? runBlocking {
            task?.cancel()
            await agent.disconnect()
            await task?.value
        }
        gateway.closeStdin()
        if gateway.waitForExit(timeout: .seconds(10)) == nil {
            _ = gateway.terminate(grace: .seconds(3))
        }
    }
}
