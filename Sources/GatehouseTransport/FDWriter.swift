#if canImport(Glibc)
import Glibc
#endif

/// Writes whole messages to a file descriptor from any number of threads.
///
/// Each call writes its bytes completely (looping over partial writes and EINTR) under a
/// lock, so lines from different threads never interleave. After any write error the
/// writer stays failed and rethrows that error: a half-written line has corrupted the
/// framing, so the only safe move is to drop the stream.
///
/// Sockets are written with MSG_NOSIGNAL; for pipes the writer calls
/// `Transport.ignoreSIGPIPE()` so a vanished reader is an error (`.brokenPipe`), not death.
public final class FDWriter: Sendable {
    let descriptor: Descriptor
    /// Doubles as the message lock: held for the whole of each write.
    private let failure = Locked<TransportError?>(nil)

    /// A writer over `fileDescriptor`. With `ownsDescriptor`, `close()` and release close it.
    public convenience init(fileDescriptor: Int32, ownsDescriptor: Bool = true) {
        self.init(descriptor: Descriptor(fileDescriptor, owned: ownsDescriptor))
    }

    init(descriptor: Descriptor) {
        self.descriptor = descriptor
        if !descriptor.isSocket { Transport.ignoreSIGPIPE() }
    }

    public var fileDescriptor: Int32 { descriptor.fd }

    /// True once `close()` was called.
    public var isClosed: Bool { descriptor.isClosed }

    /// Writes `line` followed by `\n` as one unit.
    public func writeLine(_ line: String) throws {
        var line = line
        try line.withUTF8 { try send(UnsafeRawBufferPointer($0), newline: true) }
    }

    /// Writes `bytes` followed by `\n` as one unit.
    public func writeLine(_ bytes: some Collection<UInt8>) throws {
        try withContiguous(bytes) { try send($0, newline: true) }
    }

    /// Writes `bytes` as they are, as one unit.
    public func write(_ bytes: some Collection<UInt8>) throws {
        try withContiguous(bytes) { try send($0, newline: false) }
    }

    /// Closes the descriptor (for a child's stdin: the child sees end of input). A write in
    /// progress on another thread finishes first; on a socket it is cut short.
    public func close() {
        descriptor.close()
    }

    private func withContiguous(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let done: Void? = try bytes.withContiguousStorageIfAvailable { try body(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try body($0) }
        }
    }

    private func send(_ message: UnsafeRawBufferPointer, newline: Bool) throws {
        try failure.withLock { failure in
            if let failure { throw failure }
            do {
                try descriptor.use { fd in try writeAll(fd, message, newline: newline) }
            } catch let error as TransportError {
                failure = error
                throw error
            }
        }
    }

    private func writeAll(_ fd: Int32, _ message: UnsafeRawBufferPointer, newline: Bool) throws {
        var newlineByte: UInt8 = 0x0A
        try withUnsafeMutableBytes(of: &newlineByte) { newlineBytes in
            // Two iovecs avoid copying the message just to append one byte; on the stack, not
            // in an array allocated for every message.
            try withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { vectors in
                vectors.initialize(repeating: iovec())
                vectors[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: message.baseAddress), iov_len: message.count)
                vectors[1] = iovec(iov_base: newlineBytes.baseAddress, iov_len: newline ? 1 : 0)
                var first = 0
                while first < vectors.count {
                    if vectors[first].iov_len == 0 {
                        first += 1
                        continue
                    }
                    let written: Int = {
                        let remaining = vectors.baseAddress! + first
                        let count = Int32(vectors.count - first)
                        if descriptor.isSocket {
                            var header = msghdr()
                            header.msg_iov = remaining
                            header.msg_iovlen = Int(count)
                            return sendmsg(fd, &header, Int32(MSG_NOSIGNAL))
                        }
                        return writev(fd, remaining, count)
                    }()
                    if written < 0 {
                        switch errno {
                        case EINTR:
                            continue
                        case EAGAIN, EWOULDBLOCK:
                            // A blocking fd only says EAGAIN when SO_SNDTIMEO expired.
                            guard isNonBlocking(fd) else { throw TransportError.writeTimedOut }
                            waitFor(fd, events: Int16(POLLOUT))
                            continue
                        case EPIPE, ECONNRESET:
                            throw TransportError.brokenPipe
                        default:
                            throw TransportError.last("write")
                        }
                    }
                    var left = written
                    while left > 0 && first < vectors.count {
                        let take = min(left, vectors[first].iov_len)
                        vectors[first].iov_base = vectors[first].iov_base! + take
                        vectors[first].iov_len -= take
                        left -= take
                        if vectors[first].iov_len == 0 { first += 1 }
                    }
                }
            }
        }
    }
}
