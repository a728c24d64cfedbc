import Foundation
import Logging
import Synchronization

/// Moves journal entries into SQLite off the call path: every few milliseconds, everything
/// waiting goes in as one transaction (group commit), so a thousand calls cost a handful of
/// commits instead of two thousand. An entry leaves the journal only once its transaction has
/// committed; if SQLite refuses, the entries wait and are retried.
final class JournalIngester: Sendable {
    /// How long an entry may wait before the ingester looks: also how stale `gatehouse audit`
    /// in another process could be, were it not for reading the journals too.
    static let interval = 0.05
    /// Entries per transaction, so one batch never holds the database for long.
    static let batchSize = 2_000

    private let journal: AuditJournal
    private let apply: @Sendable ([JournalEntry]) throws -> Void
    private let log: Logger
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    /// Held for one pass, so the thread and `flush()` never apply the same entries twice.
    private let pass = Mutex(())
    private let finished = DispatchSemaphore(value: 0)
    private let failures = Atomic<Int>(0)

    init(journal: AuditJournal, logger: Logger, apply: @escaping @Sendable ([JournalEntry]) throws -> Void) {
        self.journal = journal
        self.apply = apply
        self.log = logger
        let thread = Thread { [self] in run() }
        thread.name = "gatehouse-ingest"
        thread.start()
    }

    private func run() {
        lowerThisThreadsPriority()
        while !stopped.load(ordering: .acquiring) {
            _ = wake.wait(timeout: .now() + Self.interval)
            // After failures, back off (up to a second) instead of hammering a locked database.
            let f = failures.load(ordering: .relaxed)
            if f > 0 { Thread.sleep(forTimeInterval: min(1, 0.01 * Double(f))) }
            _ = ingest()
        }
        finished.signal()
    }

    /// Applies everything waiting now, in batches; false if SQLite refused some of it.
    @discardableResult
    func ingest() -> Bool {
        pass.withLock { _ in
            let waiting = journal.take()
            if !waiting.isEmpty {
                do {
                    for start in stride(from: 0, to: waiting.count, by: Self.batchSize) {
                        try apply(Array(waiting[start..<min(start + Self.batchSize, waiting.count)]))
                    }
                } catch {
                    let n = failures.add(1, ordering: .relaxed).newValue
                    // Once, then every 100th: a database locked for minutes must not flood the log.
                    if n == 1 || n % 100 == 0 {
                        log.error("could not move \(waiting.count) audit entries into the database (attempt \(n)); they stay in the journal: \(error)")
                    }
                    return false
                }
                failures.store(0, ordering: .relaxed)
                journal.committed()
            }
            journal.prepare()
            return true
        }
    }

    /// Starts the next pass now instead of at the end of the interval.
    func nudge() { wake.signal() }

    /// Stops the thread after a last pass.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        finished.wait()
        ingest()
    }
}
