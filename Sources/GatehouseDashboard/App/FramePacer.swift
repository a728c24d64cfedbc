/// Coalesces redraws: any number of changes between two frames cost one frame, and frames
/// come at most `maxFPS` times a second, so a flood of events cannot starve the keyboard.
/// Times are monotonic seconds from the caller.
public struct FramePacer: Hashable, Sendable {
    public var minInterval: Double
    public private(set) var dirty = true
    public private(set) var lastFrame = -Double.infinity

    public init(maxFPS: Double = 30) { minInterval = 1 / maxFPS }

    public mutating func invalidate() { dirty = true }

    /// True when a frame should be drawn now.
    public func due(at now: Double) -> Bool { dirty && now - lastFrame >= minInterval }

    /// Seconds until the next frame may be drawn (nil when nothing changed).
    public func wait(at now: Double) -> Double? {
        dirty ? max(0, lastFrame + minInterval - now) : nil
    }

    public mutating func drew(at now: Double) {
        dirty = false
        lastFrame = now
    }
}
