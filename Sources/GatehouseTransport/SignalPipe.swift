#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Turns signals into bytes on a pipe, so an event loop polls for them like for any other
/// descriptor (the self-pipe trick; signalfd would need the signals blocked in every
/// thread, which a Swift process with runtime-created threads cannot promise).
///
/// The handler only writes one byte, the signal number, to a non-blocking pipe: that is
/// async-signal-safe. Handlers are installed with SA_RESTART so blocking reads elsewhere
/// are not disturbed. One signal can belong to one SignalPipe at a time.
///
/// A signal sent to the process (kill, the terminal) is handled by any thread that does not
/// block it. Dispatch's worker threads block signals, so `raise()` from Swift concurrency
/// code never arrives; use `kill(getpid(), sig)`.
public final class SignalPipe: Sendable {
    /// The common set for a terminal program: resize, and the three ways to be told to stop.
    public static let defaultSignals: [Int32] = [SIGWINCH, SIGTERM, SIGINT, SIGHUP]

    public let signals: [Int32]
    /// Becomes readable when a signal arrives; poll it, then call `drain()`.
    public let fileDescriptor: Int32
    private let writeEnd: Int32
    private let closed = Locked(false)

    /// Installs handlers for `signals`, remembering the previous ones for `close()`.
    /// - Throws: a system error, or EBUSY if a signal already belongs to another SignalPipe.
    public init(signals: [Int32] = SignalPipe.defaultSignals) throws {
        let unique = Array(Set(signals)).sorted()
        guard unique.allSatisfy({ $0 > 0 && $0 < signalSlots && $0 != SIGKILL && $0 != SIGSTOP }) else {
            throw TransportError.system(call: "SignalPipe", errno: EINVAL)
        }
        let pipe = try makePipe()
        setNonBlocking(pipe.read)
        setNonBlocking(pipe.write)
        self.signals = unique
        fileDescriptor = pipe.read
        writeEnd = pipe.write
        do {
            try SignalRegistry.install(unique, writingTo: pipe.write)
        } catch {
            Glibc.close(pipe.read)
            Glibc.close(pipe.write)
            throw error
        }
    }

    deinit { close() }

    /// The signals received since the last drain, in arrival order (repeats included).
    public func drain() -> [Int32] {
        var received: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = retryingEINTR { read(fileDescriptor, &buffer, buffer.count) }
            guard count > 0 else { break }
            received.append(contentsOf: buffer[..<count].map { Int32($0) })
        }
        return received
    }

    /// Restores the previous handlers and closes the pipe. Idempotent.
    public func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        SignalRegistry.uninstall(signals)
        Glibc.close(fileDescriptor)
        Glibc.close(writeEnd)
    }
}

/// Signal numbers 1..64 on Linux.
private let signalSlots: Int32 = 65

/// Per-signal write descriptor read by the handler. Atomics, because a handler may run on
/// any thread at any moment; allocated once and never freed.
private struct SignalTargets: @unchecked Sendable {
    // @unchecked: the pointee is atomics only.
    let slots: UnsafeMutablePointer<Atomic<Int32>>

    init() {
        slots = .allocate(capacity: Int(signalSlots))
        for index in 0..<Int(signalSlots) { (slots + index).initialize(to: Atomic(-1)) }
    }
}

private let signalTargets = SignalTargets()

private let signalHandler: @convention(c) (Int32) -> Void = { signal in
    guard signal > 0 && signal < signalSlots else { return }
    let fd = signalTargets.slots[Int(signal)].load(ordering: .acquiring)
    guard fd >= 0 else { return }
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(fd, &byte, 1)
    errno = savedErrno
}

/// Which signals are taken, and the handlers they replaced.
private enum SignalRegistry {
    private static let previous = Locked<[Int32: sigaction]>([:])

    static func install(_ signals: [Int32], writingTo fd: Int32) throws {
        // Touch the table now so its lazy initialization never happens inside a handler.
        _ = signalTargets
        try previous.withLock { previous in
            if signals.contains(where: { previous[$0] != nil }) {
                throw TransportError.system(call: "SignalPipe: signal already handled", errno: EBUSY)
            }
            var installed: [Int32] = []
            for signal in signals {
                signalTargets.slots[Int(signal)].store(fd, ordering: .releasing)
                var action = sigaction()
                action.__sigaction_handler.sa_handler = signalHandler
                action.sa_flags = SA_RESTART
                sigemptyset(&action.sa_mask)
                var old = sigaction()
                guard sigaction(signal, &action, &old) == 0 else {
                    let error = TransportError.last("sigaction(\(signal))")
                    signalTargets.slots[Int(signal)].store(-1, ordering: .releasing)
                    for done in installed {
                        var restore = previous.removeValue(forKey: done)!
                        _ = sigaction(done, &restore, nil)
                        signalTargets.slots[Int(done)].store(-1, ordering: .releasing)
                    }
                    throw error
                }
                previous[signal] = old
                installed.append(signal)
            }
        }
    }

    static func uninstall(_ signals: [Int32]) {
        previous.withLock { previous in
            for signal in signals {
                guard var old = previous.removeValue(forKey: signal) else { continue }
                _ = sigaction(signal, &old, nil)
                signalTargets.slots[Int(signal)].store(-1, ordering: .releasing)
            }
        }
    }
}
