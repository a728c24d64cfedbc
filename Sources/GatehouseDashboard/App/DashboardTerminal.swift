/// What the event loop needs from a terminal: a screen to draw on, keys to read, and
/// descriptors to wait on. `CursesScreen` is the real one; tests bring their own.
public protocol DashboardTerminal: Screen {
    /// Readable when `readKey()` has something.
    var inputFileDescriptor: Int32 { get }
    /// Readable after a resize or a termination request.
    var wakeFileDescriptor: Int32 { get }
    /// The next key, or nil; never blocks.
    func readKey() -> Key?
    /// The signal that asked the dashboard to quit, if one did.
    func takeTerminationRequest() -> Int32?
    /// Repaints every cell on the next frame (after something else scribbled on the screen).
    func forceFullRedraw()
}

extension CursesScreen: DashboardTerminal {}
