/// The control socket speaks JSON-RPC 2.0, one message per line. `docs/control-protocol.md`
/// documents it; these names are the single source both ends and the docs test use.
public enum ControlProtocol {
    /// Bumped on any incompatible change; `hello` refuses a mismatch.
    public static let version = 1

    public enum Method: String, Sendable, CaseIterable, Codable {
        case hello
        case subscribe
        case status
        case pending
        case calls
        case approve
        case deny
        case kill
        case release
        case toolOverride = "tool.override"
        case reload
    }

    /// Notifications the gateway sends to a subscriber.
    public enum Notification: String, Sendable, CaseIterable, Codable {
        /// `params` is a `ControlEvent`.
        case event
        /// The subscriber fell behind and missed events; `params` is `{"missed": N, "snapshot": Snapshot}`.
        case resync
    }

    public enum ErrorCode: Int, Sendable, CaseIterable, Codable {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case internalError = -32603
        case handshakeRequired = -32000
        case versionMismatch = -32001
        case notFound = -32002
        case alreadyResolved = -32003
        case mismatch = -32004
        case invalidPolicy = -32005
    }
}

/// `hello` params and result.
public struct HelloParams: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var client: String
    public init(protocolVersion: Int = ControlProtocol.version, client: String) {
        self.protocolVersion = protocolVersion
        self.client = client
    }
}

public struct HelloResult: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var gateway: GatewayInfo
    /// The operator name the gateway will record for this connection's decisions.
    public var operatorName: String
    public init(protocolVersion: Int, gateway: GatewayInfo, operatorName: String) {
        self.protocolVersion = protocolVersion
        self.gateway = gateway
        self.operatorName = operatorName
    }
}

/// How far an operator's approval reaches.
public enum ApprovalScope: String, Codable, Sendable, Hashable, CaseIterable {
    /// This call only (bound to its tool and argument hash).
    case once
    /// Calls of this tool for `durationSeconds`.
    case duration
    /// Calls of this tool in this MCP session.
    case session
    /// Calls of this tool from now on (a runtime override to allow).
    case always
}

public struct ApproveParams: Codable, Sendable, Hashable {
    public var id: String
    public var scope: ApprovalScope
    public var durationSeconds: Double?
    /// When given, the approval applies only if the held call still has these arguments.
    public var argsHash: String?
    public init(id: String, scope: ApprovalScope = .once, durationSeconds: Double? = nil, argsHash: String? = nil) {
        self.id = id
        self.scope = scope
        self.durationSeconds = durationSeconds
        self.argsHash = argsHash
    }

    // `scope` may be left out on the wire, meaning `once`, as the docs say.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        scope = try c.decodeIfPresent(ApprovalScope.self, forKey: .scope) ?? .once
        durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds)
        argsHash = try c.decodeIfPresent(String.self, forKey: .argsHash)
    }
}

public struct DenyParams: Codable, Sendable, Hashable {
    public var id: String
    public var reason: String?
    public var argsHash: String?
    public init(id: String, reason: String? = nil, argsHash: String? = nil) {
        self.id = id
        self.reason = reason
        self.argsHash = argsHash
    }
}

public struct KillParams: Codable, Sendable, Hashable {
    public var reason: String?
    public init(reason: String? = nil) { self.reason = reason }
}

public struct ToolOverrideParams: Codable, Sendable, Hashable {
    public var tool: String
    /// `allow`, `deny`, `require_approval`, or nil to clear.
    public var action: String?
    public init(tool: String, action: String?) {
        self.tool = tool
        self.action = action
    }
}

public struct CallsParams: Codable, Sendable, Hashable {
    public var limit: Int?
    public init(limit: Int? = nil) { self.limit = limit }
}

/// What every resolving command answers.
public struct ResolveResult: Codable, Sendable, Hashable {
    public var call: CallRecord
    public init(call: CallRecord) { self.call = call }
}

public struct ReloadResult: Codable, Sendable, Hashable {
    public var policy: PolicySummary
    public var warnings: [String]
    public init(policy: PolicySummary, warnings: [String]) {
        self.policy = policy
        self.warnings = warnings
    }
}
