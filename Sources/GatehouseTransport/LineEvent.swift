/// One result of splitting a byte stream into lines.
public enum LineEvent: Sendable, Hashable {
    /// A complete line without its `\n` (and without a `\r` right before it).
    case line([UInt8])
    /// A line longer than the reader's limit; it was discarded, and `byteCount` is its
    /// length without the terminator. Reported once, when the line ends.
    case tooLong(byteCount: Int)
}
