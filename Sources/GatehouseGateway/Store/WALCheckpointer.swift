import Foundation
import GRDB
import Synchronization

/// Takes SQLite's WAL checkpoints off the call path. By default SQLite checkpoints inside the
/// commit that takes the WAL past 1,000 pages: that commit copies the log into the database and
/// fsyncs both, milliseconds that landed on whichever call made it (most of the gateway's p99).
/// The gateway turns that off on its own connection and checkpoints here instead, PASSIVE (it
/// never blocks a writer), from a second connection on its own thread.
///
/// Once the log passes `restartFrames` (4,000 pages, ~16 MB) a RESTART checkpoint bounds it.
///
/// What a commit guarantees is unchanged: under synchronous=NORMAL a commit was never fsynced, and
/// survives the process being killed once it returns; the WAL is fsynced by these checkpoints,
/// every `interval`, instead of every ~1,000 pages.
public final class WALCheckpointer: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    public init(store: StateStore, interval: Double = 0.05, restartFrames: Int = 4000) throws {
        var config = Configuration()
        config.busyMode = .timeout(1)
        config.label = "gatehouse-checkpoint"
        let connection = try DatabaseQueue(path: store.path, configuration: config)
        try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let thread = Thread { [self] in
            lowerThisThreadsPriority()
            while true {
                usleep(UInt32(interval * 1_000_000))
                // Busy (another gateway checkpointing) or failing: the next round tries again.
                let passive = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
                // Under steady writes a PASSIVE checkpoint never quite catches up with the log, so
                // the log is never restarted and grows without end. Past `restartFrames`, one
                // RESTART checkpoint (which holds writers back while it copies the few frames the
                // passive ones left) lets the next commit start the log from the beginning again.
                if let passive, passive.walFrameCount > restartFrames {
                    _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.restart) }
                }
                if stopped.load(ordering: .relaxed) { break }
            }
            done.signal()
        }
        thread.name = "gatehouse-checkpoint"
        thread.start()
    }

    /// Ends the thread after one last checkpoint, so the next process starts with a short WAL.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        done.wait()
    }
}
