import ArgumentParser
import Foundation
import Logging

/// Logs go to stderr: on a stdio MCP server stdout belongs to the protocol.
enum CLILogging {
    nonisolated(unsafe) private static var bootstrapped = false

    static func bootstrap(level: Logger.Level) {
        if !bootstrapped {
            bootstrapped = true
            LoggingSystem.bootstrap { label in
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            }
        }
    }

    static func logger(_ label: String = "gatehouse", level: Logger.Level) -> Logger {
        bootstrap(level: level)
        var l = Logger(label: label)
        l.logLevel = level
        return l
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Writes to stderr without buffering surprises.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a line and flushes at once, so `--follow` and `tail` reach a pipe as they happen.
func printLine(_ text: String) {
    print(text)
    fflush(nil)
}
