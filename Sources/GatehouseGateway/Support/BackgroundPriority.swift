import Foundation

/// Lowers the calling thread's scheduling priority: the store's housekeeping (moving the journal
/// into SQLite, checkpointing the WAL) should yield the cores to the threads that carry calls.
/// On Linux the nice value belongs to the thread, and `who = 0` names the calling one.
func lowerThisThreadsPriority() {
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
}
