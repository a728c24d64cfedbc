import Foundation

/// Notices when the policy file changes: polls its size, time and inode (editors that replace
/// the file by renaming are seen too). Polling once a second costs nothing and needs no inotify.
///
/// A change is acted on only once the file has stayed the same for a whole interval: a file
/// caught mid-write would otherwise be loaded, and a YAML policy cut short at a line boundary is
/// still valid YAML, one that has lost its later rules (deny rules, hidden tools) and so is more
/// permissive than the policy being written.
/// Unchecked: a dispatch source may be cancelled from any thread.
final class PolicyWatcher: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    init(path: String, interval: Double, queue: DispatchQueue, onChange: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        let last = LockedFingerprint(Self.fingerprint(path))
        let settling = LockedFingerprint(nil)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler {
            let now = Self.fingerprint(path)
            if last.swap(now) != now {
                // Changed since the last look: wait for it to settle.
                _ = settling.swap(now)
                return
            }
            if let now, settling.swap(nil) == now { onChange() }
        }
        timer.resume()
    }

    func cancel() { timer.cancel() }

    struct Fingerprint: Equatable, Sendable {
        var size: Int64, mtime: Int, mtimeNanos: Int, inode: UInt64
    }

    static func fingerprint(_ path: String) -> Fingerprint? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Fingerprint(size: Int64(st.st_size), mtime: st.st_mtim.tv_sec, mtimeNanos: st.st_mtim.tv_nsec, inode: UInt64(st.st_ino))
    }
}

private final class LockedFingerprint: @unchecked Sendable {
    private var value: PolicyWatcher.Fingerprint?
    private let lock = NSLock()
    init(_ v: PolicyWatcher.Fingerprint?) { value = v }
    func swap(_ v: PolicyWatcher.Fingerprint?) -> PolicyWatcher.Fingerprint? {
        lock.lock()
        defer { lock.unlock() }
        let old = value
        value = v
        return old
    }
}
