#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ncurses keeps global, unsynchronised state, so every curses call must come from the
/// one thread that started curses. This records that thread and traps on any other,
/// turning a would-be heisenbug (a corrupted screen, a crash inside ncurses) into an
/// immediate, named failure.
struct ThreadConfinement {
    private let owner = pthread_self()

    var isOwnerThread: Bool { pthread_equal(owner, pthread_self()) != 0 }

    func check(_ function: StaticString = #function) {
        precondition(isOwnerThread,
                     "CursesScreen.\(function) called off the thread that created the screen; ncurses is not thread-safe")
    }
}
