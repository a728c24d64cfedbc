import Foundation

/// Where the package's built executables and the tools tests rely on are.
public enum BuiltProducts {
    /// The directory `swift build` put the products in: the one holding the running test bundle.
    public static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["GATEHOUSE_BUILD_DIR"], !dir.isEmpty { return dir }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // On Linux the bundle is `…/debug/<package>PackageTests.xctest`; on macOS the binary sits inside the bundle.
        while dir.hasSuffix(".xctest") || dir.contains(".xctest/") {
            dir = (dir as NSString).deletingLastPathComponent
        }
        return dir
    }

    /// The built executable `name`, or an error that says how to build it.
    public static func executable(_ name: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingTool(message: "\(path) does not exist: build the package (`swift build`) before running these tests")
        }
        return path
    }

    /// The directory holding the Python tools end-to-end tests use (`mcp-server-time`):
    /// `$GATEHOUSE_PYTHON_BIN_DIR`, else /work/venv/bin.
    public static var pythonBinDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON_BIN_DIR"], !dir.isEmpty { return dir }
        return "/work/venv/bin"
    }

    /// A Python tool from `pythonBinDirectory`, or an error that says how to install it.
    public static func pythonTool(_ name: String) throws -> String {
        let path = (pythonBinDirectory as NSString).appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingTool(message: "\(path) does not exist: install it into a venv (`pip install mcp mcp-server-time`) and set GATEHOUSE_PYTHON_BIN_DIR to its bin directory")
        }
        return path
    }

    public struct MissingTool: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
