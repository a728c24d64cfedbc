import Foundation
import GatehouseCore
import GatehouseTransport

/// Finds gateways' control sockets in the default directory.
public enum GatewayDiscovery {
    public static var defaultDirectory: String {
        DefaultPaths.controlDirectory(environment: ProcessInfo.processInfo.environment, uid: UInt32(Transport.currentUID))
    }

    public static func socketPath(name: String) -> String {
        DefaultPaths.controlSocket(name: DefaultPaths.sanitizedName(name), environment: ProcessInfo.processInfo.environment,
                                   uid: UInt32(Transport.currentUID))
    }

    /// Every `*.sock` in the directory, sorted by name.
    public static func sockets(in directory: String = defaultDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".sock") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// The one socket `ctl` should use: the given path, the named gateway, or the only one running.
    public static func resolve(control: String?, name: String?) throws -> String {
        if let control { return control }
        if let name { return socketPath(name: name) }
        let found = sockets()
        switch found.count {
        case 1: return found[0]
        case 0: throw DiscoveryError.none(defaultDirectory)
        default: throw DiscoveryError.several(found.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension })
        }
    }

    public enum DiscoveryError: Error, CustomStringConvertible {
        case none(String)
        case several([String])
        public var description: String {
            switch self {
            case .none(let dir): "no gateway is running (no control socket in \(dir)); start one with gatehouse serve"
            case .several(let names): "several gateways are running (\(names.joined(separator: ", "))); choose one with --name"
            }
        }
    }
}
