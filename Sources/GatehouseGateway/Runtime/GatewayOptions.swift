import Foundation
import GatehouseCore
import GatehouseTransport

/// Everything `gatehouse serve` is told, with the documented defaults filled in.
public struct GatewayOptions: Sendable {
    public var policyPath: String
    public var name: String
    public var grant: String
    public var stateDirectory: String
    public var controlPath: String
    public var upstream: [String]
    public var auditArguments: StateStore.ArgumentsMode
    public var progressInterval: Double
    public var maxMessageBytes: Int
    /// Seconds between checks of the policy file for changes; 0 turns watching off.
    public var watchInterval: Double

    public static let defaultMaxMessageBytes = 16 << 20

    public init(policyPath: String, name: String? = nil, grant: String? = nil, stateDirectory: String? = nil,
                controlPath: String? = nil, upstream: [String], auditArguments: StateStore.ArgumentsMode = .full,
                progressInterval: Double = 5, maxMessageBytes: Int = GatewayOptions.defaultMaxMessageBytes,
                watchInterval: Double = 1, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let env = environment
        self.policyPath = policyPath
        let base = upstream.first.map { ($0 as NSString).lastPathComponent } ?? "gateway"
        self.name = DefaultPaths.sanitizedName(name ?? base)
        self.grant = grant ?? Transport.userName(uid: Transport.currentUID) ?? env["USER"] ?? "uid-\(Transport.currentUID)"
        self.stateDirectory = stateDirectory
            ?? DefaultPaths.stateDirectory(environment: env, home: env["HOME"] ?? NSHomeDirectory())
        self.controlPath = controlPath
            ?? DefaultPaths.controlSocket(name: self.name, environment: env, uid: UInt32(Transport.currentUID))
        self.upstream = upstream
        self.auditArguments = auditArguments
        self.progressInterval = progressInterval
        self.maxMessageBytes = maxMessageBytes
        self.watchInterval = watchInterval
    }
}
