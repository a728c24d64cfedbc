/// The whole terminal (or a test double of it), drawn frame by frame.
///
/// A frame is immediate-mode: `beginFrame()` blanks everything, the views redraw what
/// they show, and `endFrame()` pushes the result out in one go. The curses backend sends
/// only the cells that changed, so redrawing everything is cheap and never flickers.
public protocol Screen: Canvas {
    /// Starts a frame: picks up a new terminal size, blanks the screen in `.normal`
    /// and hides the cursor until a view places it.
    func beginFrame()

    /// Ends the frame and makes it visible (flush).
    func endFrame()
}
