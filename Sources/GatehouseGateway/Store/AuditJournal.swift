import Foundation
import GatehouseCore
import Synchronization

/// The audit log's write-ahead journal: the point at which a call's audit row is durable.
///
/// Committing a SQLite transaction for every audit row cost more than everything else a call
/// does (two commits per call, ~50 µs). The journal makes the same promise for the price of a
/// memory copy: it is a file mapped `MAP_SHARED`, so an entry stored into it is in the kernel's
/// page cache the moment the store completes, and survives the process being killed at any
/// moment, exactly as a SQLite commit with `synchronous = NORMAL` does (neither is fsynced; only
/// a power cut can lose the last entries). A background ingester then moves the
/// entries into SQLite in batches, and whoever opens the store next replays a journal whose
/// owner died before that happened.
///
/// One file per process, `journal/<pid>-<random>.jsonl` in the state directory, held under an
/// exclusive `flock` for the life of the process: a journal nobody holds is an orphan to replay.
final class AuditJournal: Sendable {
    static let directoryName = "journal"
    static let fileExtension = "jsonl"
    /// Beyond this many entries waiting for SQLite, appends fail, so the gateway refuses calls
    /// (fails closed) rather than grow without bound while SQLite is unwritable.
    static let backlogLimit = 100_000
    /// How far ahead of the entries the ingester faults the mapping in: more than a busy
    /// gateway writes between two passes (10,000 calls/s × 2 entries × ~400 bytes × 50 ms).
    static let prefaultBytes = 2 << 20
    /// Beyond this many entries waiting, new calls wait for the ingester before they are decided
    /// (`waitForRoom`): under a sustained flood the gateway slows to the pace SQLite can keep,
    /// rather than refusing calls at `backlogLimit`.
    static let backpressureLimit = 10_000
    /// The size of a journal file (allocated up front, mapped whole). Once half of it is used,
    /// it is replaced by a file holding only the waiting entries.
    static let fileBytes = 8 << 20
    static var compactionBytes: Int { fileBytes / 2 }

    let directory: String

    /// Unchecked: `base` is only touched under the state lock.
    private struct State: @unchecked Sendable {
        var fd: Int32 = -1
        var path: String?
        var base: UnsafeMutableRawPointer?
        var capacity = 0
        var size = 0
        /// Entries the ingester has taken and not yet committed to SQLite, then the entries
        /// appended since, oldest first. Handed over by swapping arrays, so the ingester never
        /// holds the lock that appends need for longer than that.
        var taken: [JournalEntry] = []
        var pending: [JournalEntry] = []
        /// Where the taken entries' lines end in the file, and where the committed ones end:
        /// entries reach SQLite in the order they were appended, so the lines still waiting
        /// are always the file's tail from `committedEnd` (what a compaction keeps).
        var takenEnd = 0
        var committedEnd = 0
        /// How far the mapping has been faulted in ahead of the entries (see `prepare`).
        var prefaulted = 0
        /// The next file, made ready by the ingester outside the lock (see `prepare`), so a
        /// compaction under the lock only copies the waiting tail and renames.
        var spare: Mapping?
        /// Files replaced by a compaction, unmapped and closed once the lock is released: freeing
        /// an unlinked file's pages takes the kernel a millisecond, and appends wait on the lock.
        var retired: [Mapping] = []
        var closed = false

        var waitingCount: Int { taken.count + pending.count }
    }

    private let state = Mutex(State())
    /// Encodes entries under the state lock, reused so an append allocates nothing for its line.
    private nonisolated(unsafe) let encoder = LineEncoder()

    init(stateDirectory: String) {
        directory = (stateDirectory as NSString).appendingPathComponent(Self.directoryName)
    }

    enum Failure: Error, CustomStringConvertible {
        case io(String)
        case backlog(Int)
        case closed

        var description: String {
            switch self {
            case .io(let m): m
            case .backlog(let n): "\(n) audit entries are waiting for the database, which is not taking them"
            case .closed: "the audit journal is closed"
            }
        }
    }

    /// Appends `entry`: once this returns it survives the process dying.
    func append(_ entry: JournalEntry) throws {
        try state.withLock { s in
            try Self.check(s)
            encoder.reset()
            entry.encode(into: encoder)
            try write(&s)
            s.pending.append(entry)
        }
    }

    /// Appends `entries` in one store, under one hold of the lock, so no other entry falls
    /// between them (a kill mid-store keeps the whole lines before the torn one).
    func append(contentsOf entries: [JournalEntry]) throws {
        try state.withLock { s in
            try Self.check(s)
            encoder.reset()
            for e in entries { e.encode(into: encoder) }
            try write(&s)
            s.pending += entries
        }
    }

    private static func check(_ s: State) throws {
        if s.closed { throw Failure.closed }
        if s.waitingCount >= backlogLimit { throw Failure.backlog(s.waitingCount) }
    }

    /// Stores what `encoder` holds after the last entry.
    private func write(_ s: inout State) throws {
        let bytes = encoder.bytes
        if s.fd < 0 { try Self.create(&s, in: directory, capacity: Self.fileBytes) }
        if s.size + bytes.count > s.capacity { try Self.compact(&s, in: directory, extra: bytes.count) }
        Self.store(&s, bytes)
    }

    /// Every entry waiting for SQLite, oldest first; they stay waiting until `committed()`. Until
    /// then, taking again gives the same entries (so a failed batch is retried) plus newer ones.
    func take() -> [JournalEntry] {
        state.withLock { s in
            if s.taken.isEmpty {
                swap(&s.taken, &s.pending)
            } else if !s.pending.isEmpty {
                s.taken += s.pending
                s.pending.removeAll()
            }
            s.takenEnd = s.size
            return s.taken
        }
    }

    var waitingCount: Int { state.withLock { $0.waitingCount } }

    /// Waits (at most `timeout` seconds) until fewer than `backpressureLimit` entries wait for
    /// SQLite, calling `nudge` to hurry the ingester; false if they still do.
    func waitForRoom(timeout: Double, nudge: () -> Void) -> Bool {
        if waitingCount < Self.backpressureLimit { return true }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            nudge()
            usleep(1_000)
            if waitingCount < Self.backpressureLimit { return true }
        }
        return false
    }

    /// Settlements not yet in SQLite, for a counter mirror reloading from it.
    func waitingSettlements() -> [(reservation: String, at: Double, commit: Bool)] {
        state.withLock { s in
            (s.taken + s.pending).compactMap { e in
                if case .settle(let id, let at, let commit) = e { return (id, at, commit) }
                return nil
            }
        }
    }

    /// Session-counter charges not yet in SQLite, for a mirror loading that counter from it.
    func waitingCharges(_ key: CounterKey) -> [(charge: CounterCharge, at: Double, reservation: String)] {
        state.withLock { s in
            (s.taken + s.pending).compactMap { e in
                if case .charge(let c, let at, let id) = e, c.key == key { return (c, at, id) }
                return nil
            }
        }
    }

    /// The entries `take()` gave are in SQLite now. Compacts a file grown large.
    func committed() {
        // Freed after the lock is released: a batch is hundreds of records, and appends wait on it.
        var done: [JournalEntry] = []
        let retired: [Mapping] = state.withLock { s in
            swap(&done, &s.taken)
            s.committedEnd = s.takenEnd
            if s.fd >= 0, s.size >= Self.compactionBytes {
                do {
                    try Self.compact(&s, in: directory, extra: 0)
                } catch {
                    // The old file still holds everything: keep appending to it and try again later.
                }
            }
            defer { s.retired.removeAll() }
            return s.retired
        }
        done.removeAll()
        for m in retired { m.release() }
    }

    /// Stops taking entries. With nothing waiting, the file is deleted; otherwise it stays for the
    /// next process to replay.
    func close() {
        state.withLock { s in
            s.closed = true
            for m in s.retired { m.release() }
            s.retired.removeAll()
            if let spare = s.spare {
                unlink(spare.path)
                spare.release()
                s.spare = nil
            }
            guard s.fd >= 0 else { return }
            if s.waitingCount == 0, let p = s.path { unlink(p) }
            Self.unmap(&s)
        }
    }

    // MARK: - Files

    /// A journal file, open, locked and mapped whole.
    struct Mapping: @unchecked Sendable {
        var fd: Int32
        var path: String
        var base: UnsafeMutableRawPointer
        var capacity: Int

        func release() {
            munmap(base, capacity)
            Glibc.close(fd)
        }

        /// Faults pages in writable without changing them, so the stores that follow do not
        /// take the faults (a few microseconds each) on the call path. `MADV_POPULATE_WRITE`
        /// (Linux 5.14) is not in older headers; where it is missing this changes nothing.
        func populate(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            Self.populate(base + range.lowerBound, range.count)
        }

        static func populate(_ address: UnsafeMutableRawPointer, _ length: Int) {
            _ = madvise(address, length, 23)  // MADV_POPULATE_WRITE
        }
    }

    private static func newPath(in directory: String, suffix: String) -> String {
        var g = SystemRandomNumberGenerator()
        let tag = String(g.next() as UInt64, radix: 16)
        return (directory as NSString).appendingPathComponent("\(getpid())-\(tag).\(suffix)")
    }

    /// Creates a file of `capacity` bytes, locked, readable by its owner only (it holds call
    /// arguments), with its blocks allocated so a full disk shows here rather than as a fault
    /// in the middle of a store, and maps it.
    private static func openMapped(_ path: String, capacity: Int) throws -> Mapping {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.io("cannot create the audit journal \(path): \(String(cString: strerror(errno)))") }
        func fail(_ what: String, _ code: Int32) -> Failure {
            Glibc.close(fd)
            unlink(path)
            return Failure.io("cannot \(what) the audit journal \(path): \(String(cString: strerror(code)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw fail("lock", errno) }
        let rc = posix_fallocate(fd, 0, off_t(capacity))
        guard rc == 0 else { throw fail("allocate", rc) }
        guard let base = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            throw fail("map", errno)
        }
        return Mapping(fd: fd, path: path, base: base, capacity: capacity)
    }

    private static func create(_ s: inout State, in directory: String, capacity: Int) throws {
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw Failure.io("cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let m = try openMapped(newPath(in: directory, suffix: fileExtension), capacity: capacity)
        s.fd = m.fd
        s.base = m.base
        s.capacity = capacity
        s.path = m.path
        s.size = 0
        s.takenEnd = 0
        s.committedEnd = 0
    }

    /// Copies `src` (whole lines) in after the last entry. The final newline is stored last,
    /// after a fence: a reader, or a replay after a kill, that sees a line's newline sees the
    /// whole line; a copy cut short leaves a line without one, which is skipped as torn.
    private static func store(_ s: inout State, _ src: UnsafeRawBufferPointer) {
        guard let base = s.base, let from = src.baseAddress, !src.isEmpty else { return }
        (base + s.size).copyMemory(from: from, byteCount: src.count - 1)
        atomicMemoryFence(ordering: .releasing)
        (base + s.size + src.count - 1).storeBytes(of: src[src.count - 1], as: UInt8.self)
        s.size += src.count
    }

    private static func unmap(_ s: inout State) {
        if let base = s.base { munmap(base, s.capacity) }
        if s.fd >= 0 { Glibc.close(s.fd) }
        s.base = nil
        s.fd = -1
    }

    /// Replaces the file with one holding only the waiting entries (and room for `extra` more
    /// bytes: a backlog that outgrew the file gets a bigger one). Renamed over the old one, so a
    /// reader opening the journal sees either file whole, never a half-written one. The old
    /// mapping goes to `retired`, to be released after the lock.
    private static func compact(_ s: inout State, in directory: String, extra: Int) throws {
        guard let path = s.path, let old = s.base else { return }
        let waiting = UnsafeRawBufferPointer(start: old + s.committedEnd, count: s.size - s.committedEnd)
        var capacity = fileBytes
        while waiting.count + extra > capacity / 2 { capacity *= 2 }
        let next: Mapping
        let populated: Int
        if let spare = s.spare, spare.capacity >= capacity {
            next = spare  // faulted in whole by `prepare`
            populated = spare.capacity
            s.spare = nil
        } else {
            // A backlog beyond the spare, or no spare yet: made here, under the lock, as rarely as that.
            next = try openMapped(newPath(in: directory, suffix: "tmp"), capacity: capacity)
            populated = Swift.min(capacity, waiting.count + prefaultBytes)
            next.populate(0..<populated)
        }
        var moved = State(fd: next.fd, path: path, base: next.base, capacity: next.capacity, size: 0)
        store(&moved, waiting)
        guard rename(next.path, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(next.path)
            next.release()
            throw Failure.io("cannot replace the audit journal: \(why)")
        }
        s.retired.append(Mapping(fd: s.fd, path: path, base: old, capacity: s.capacity))
        let shift = s.committedEnd
        s.takenEnd = Swift.max(0, s.takenEnd - shift)
        s.committedEnd = 0
        s.fd = next.fd
        s.base = next.base
        s.capacity = next.capacity
        s.size = moved.size
        s.prefaulted = populated
    }

    /// The ingester's housekeeping between passes, outside the lock wherever it can be: releases
    /// replaced files, faults in the mapping's next pages ahead of the entries that will use them,
    /// and, once the file is a quarter full, makes the next file ready (created, allocated and
    /// faulted in whole), so that neither a call nor the lock waits on the file system.
    func prepare(ahead: Int = prefaultBytes) {
        let (retired, range, wantsSpare): ([Mapping], (UnsafeMutableRawPointer, Int)?, Bool) = state.withLock { s in
            defer { s.retired.removeAll() }
            guard let base = s.base, !s.closed else { return (s.retired, nil, false) }
            let wantsSpare = s.spare == nil && s.size >= Self.compactionBytes / 2
            let pageSize = 4096
            let start = Swift.max(s.prefaulted, s.size / pageSize * pageSize)
            let end = Swift.min(s.capacity, s.size + ahead)
            guard end - start >= ahead / 4 else { return (s.retired, nil, wantsSpare) }
            s.prefaulted = end
            return (s.retired, (base + start, end - start), wantsSpare)
        }
        for m in retired { m.release() }
        if let (address, length) = range { Mapping.populate(address, length) }
        guard wantsSpare, let spare = try? Self.openMapped(Self.newPath(in: directory, suffix: "tmp"), capacity: Self.fileBytes)
        else { return }
        spare.populate(0..<spare.capacity)
        let unused: Mapping? = state.withLock { s in
            guard s.spare == nil, !s.closed else { return spare }
            s.spare = spare
            return nil
        }
        if let unused {
            unlink(unused.path)
            unused.release()
        }
    }
}
