import Foundation
import MCP
import SystemPackage

/// A scripted trading agent: a real MCP client (the official Swift SDK) talking to a gateway over
/// a pair of pipes, following `AgentPlan` until stopped.
///
/// The SDK's client has no request timeout, which held calls need (an approval can take minutes);
/// each call also carries a progress token, so the gateway's "waiting for approval" progress
/// notifications would keep a stricter client alive.
public final class SimulatedAgent: Sendable {
    public let speed: Double
    let client: Client
    let transport: StdioTransport
    let seed: UInt64
    let maxBackground: Int
    let onReport: @Sendable (AgentReport) -> Void
    private let memory = MemoryBox()

    /// - Parameters:
    ///   - input: the descriptor the gateway's answers are read from (its stdout).
    ///   - output: the descriptor requests are written to (its stdin).
    ///   - speed: 2 makes the agent think twice as fast; the runaway loop is fast at any speed.
    ///   - maxBackground: at most this many calls wait for approval at once; more are skipped.
    public init(input: Int32, output: Int32, speed: Double = 1, seed: UInt64 = 0x6761_7465_686F, maxBackground: Int = 3,
                onReport: @escaping @Sendable (AgentReport) -> Void = { _ in }) {
        self.speed = max(speed, 0.01)
        self.seed = seed
        self.maxBackground = maxBackground
        self.onReport = onReport
        client = Client(name: "gatehouse-demo-agent", version: "1.0.0")
        transport = StdioTransport(input: FileDescriptor(rawValue: input), output: FileDescriptor(rawValue: output))
    }

    /// Connects and lists the tools the gateway lets the agent see.
    public func connect() async throws -> [String] {
        try await client.connect(transport: transport)
        return try await client.listTools().tools.map(\.name)
    }

    /// Follows the plan until the task is cancelled or the connection is lost.
    public func run() async {
        var plan = AgentPlan(seed: seed)
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                for step in plan.next().steps {
                    if Task.isCancelled { break }
                    switch step {
                    case .pause(let seconds):
                        try? await Task.sleep(for: .seconds(seconds / speed))
                    case .call(let planned):
                        guard let call = memory.withLock({ $0.resolve(planned) }) else { continue }
                        if call.mayBeHeld {
                            let started = memory.withLock { m in
                                guard m.background < maxBackground else { return false }
                                m.beginBackground()
                                return true
                            }
                            guard started else { continue }
                            group.addTask {
                                await self.perform(call)
                                self.memory.withLock { $0.endBackground() }
                            }
                        } else if await perform(call) == .failed {
                            return
                        }
                    }
                }
            }
        }
    }

    /// Makes one call and reports how it ended.
    @discardableResult
    func perform(_ call: AgentCall) async -> AgentReport.Outcome {
        let start = ContinuousClock.now
        let meta = Metadata(progressToken: .unique())
        let report: AgentReport
        do {
            let result = try await client.send(CallTool.request(.init(name: call.tool, arguments: call.arguments, meta: meta))).value
            memory.withLock { $0.observe(call, result: result) }
            report = AgentReport(tool: call.tool, intent: call.intent, outcome: AgentReport.outcome(of: result),
                                 detail: AgentReport.text(of: result), seconds: Self.seconds(since: start))
        } catch {
            report = AgentReport(tool: call.tool, intent: call.intent, outcome: .failed, detail: "\(error)",
                                 seconds: Self.seconds(since: start))
        }
        onReport(report)
        return report.outcome
    }

    /// Ends the connection; calls still waiting fail at once.
    public func disconnect() async {
        await client.disconnect()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// The agent's memory behind a lock: background calls report into it from their own tasks.
final class MemoryBox: @unchecked Sendable {
    private var memory = AgentMemory()
    private let lock = NSLock()

    func withLock<R>(_ body: (inout AgentMemory) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&memory)
    }
}
