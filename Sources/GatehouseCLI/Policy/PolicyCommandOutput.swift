import Foundation

/// What a policy subcommand produced, kept apart from printing so tests can check it directly.
public struct PolicyCommandOutput: Sendable, Equatable {
    public var stdout = ""
    public var stderr = ""
    public var exitCode: Int32 = 0

    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// Writes both streams; the command then exits with `exitCode`.
    func emit() {
        if !stdout.isEmpty { FileHandle.standardOutput.write(Data(stdout.utf8)) }
        if !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
    }
}

/// Exit statuses shared by the policy subcommands.
public enum PolicyExitCode {
    public static let ok: Int32 = 0
    /// A policy has errors.
    public static let invalid: Int32 = 1
    /// A file could not be read, or an option value is unusable.
    public static let unreadable: Int32 = 2
}

/// Reads a policy file's bytes; injected in tests.
public typealias PolicyFileReader = @Sendable (String) throws -> [UInt8]

public enum PolicyFiles {
    public static let read: PolicyFileReader = { path in
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw PolicyFileError(message: "is a directory")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw PolicyFileError(message: "no such file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw PolicyFileError(message: "permission denied or unreadable") }
        return [UInt8](data)
    }
}

public struct PolicyFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
