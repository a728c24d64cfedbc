import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Column width of single Unicode scalars, as the terminal (and ncurses) will count them.
///
/// wcwidth(3) only knows non-ASCII characters under a UTF-8 LC_CTYPE. The process locale
/// may be "C" (tests, cron), so the lookup switches *this thread* to a private UTF-8 locale
/// for the call (uselocale is per thread) instead of touching the global locale.
enum DisplayWidth {
    /// Width of `scalar`: 0 for combining/zero-width, 1 or 2 for printable, -1 for unprintable.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return -1 }
        guard let locale = utf8Locale else { return approximate(scalar) }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return Int(gh_wcwidth(wchar_t(bitPattern: v)))
    }

    /// A UTF-8 LC_CTYPE, if the C library has one (glibc always has C.UTF-8 since 2.35).
    nonisolated(unsafe) private static let utf8Locale: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] {
            if let loc = newlocale(LC_CTYPE_MASK, name, nil) { return loc }
        }
        return nil
    }()

    /// Used only without any UTF-8 locale: good enough for CJK, emoji and combining marks.
    static func approximate(_ scalar: Unicode.Scalar) -> Int {
        let p = scalar.properties
        switch p.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        case .control, .surrogate, .unassigned, .privateUse: return -1
        default: break
        }
        if p.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
