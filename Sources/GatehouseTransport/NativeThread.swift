#if canImport(Glibc)
import Glibc
#endif

/// Plain pthreads for the blocking loops (accept, waitpid, per-connection handlers):
/// they must never occupy Swift concurrency's small cooperative pool.
struct NativeThread: Sendable {
    let id: pthread_t

    private final class Box {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts a joinable thread.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) throws -> NativeThread {
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var id = pthread_t()
        let rc = pthread_create(&id, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            if let setName = GNU.setThreadName {
                // The kernel limits thread names to 15 bytes.
                _ = String(decoding: box.name.utf8.prefix(15), as: UTF8.self).withCString { setName(pthread_self(), $0) }
            }
            box.body()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw TransportError.system(call: "pthread_create", errno: rc)
        }
        return NativeThread(id: id)
    }

    /// Starts a thread nobody joins; it cleans up after itself.
    static func detach(name: String, _ body: @escaping @Sendable () -> Void) throws {
        let thread = try start(name: name, body)
        pthread_detach(thread.id)
    }

    var isCurrent: Bool { pthread_equal(id, pthread_self()) != 0 }

    func join() {
        _ = pthread_join(id, nil)
    }

    /// For a joinable thread that will never be joined (it cannot join itself).
    func detach() {
        _ = pthread_detach(id)
    }
}
