/// A strict, fast JSON parser over UTF-8 bytes.
///
/// Strict where a lenient parser would open a gap between what the gateway checks and what the
/// upstream executes: duplicate keys, invalid UTF-8 and lone surrogates are errors, and nesting
/// is bounded. Comments (`//`, `/* */`) are accepted only when asked for (policy files).
public struct JSONParser {
    public struct Options: Sendable {
        public var allowComments = false
        public var maxDepth = 256
        public var recordLocations = false
        public init(allowComments: Bool = false, maxDepth: Int = 256, recordLocations: Bool = false) {
            self.allowComments = allowComments
            self.maxDepth = maxDepth
            self.recordLocations = recordLocations
        }
    }

    public struct Error: Swift.Error, Sendable, CustomStringConvertible, Equatable {
        public var message: String
        public var offset: Int
        public var location: SourceLocation
        public var description: String { "\(location): \(message)" }
    }

    public static func parse(_ text: String, options: Options = Options()) throws(Error) -> JSONValue {
        var text = text
        return try text.withUTF8 { buf in Result { () throws(Error) in try parse(buffer: buf, options) } }.get()
    }

    /// The gateway's per-message entry point: a concrete array, so no generic dispatch per call.
    public static func parse(_ bytes: [UInt8], options: Options = Options()) throws(Error) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buf in Result { () throws(Error) in try parse(buffer: buf, options) } }.get()
    }

    public static func parse(_ bytes: some Collection<UInt8>, options: Options = Options()) throws(Error) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buf in
            Result { () throws(Error) in try parse(buffer: buf, options) }
        } ?? Array(bytes).withUnsafeBufferPointer { buf in
            Result { () throws(Error) in try parse(buffer: buf, options) }
        }
        return try result.get()
    }

    /// Parses and records where each key and value sits (with `recordLocations`), for diagnostics.
    public static func parseWithMap(_ bytes: some Collection<UInt8>, options: Options) throws(Error) -> (value: JSONValue, map: SourceMap) {
        let run = { (buf: UnsafeBufferPointer<UInt8>) -> Result<(value: JSONValue, map: SourceMap), Error> in
            let recorder = options.recordLocations ? LocationRecorder(buf) : nil
            var p = JSONParser(buf, options, recorder: recorder)
            return Result { () throws(Error) in (try p.document(), recorder?.map ?? SourceMap()) }
        }
        let result = bytes.withContiguousStorageIfAvailable(run) ?? Array(bytes).withUnsafeBufferPointer(run)
        return try result.get()
    }

    /// Without a source map: nothing but the value is built, whatever `recordLocations` says
    /// (the map would be thrown away, and error locations do not depend on it).
    private static func parse(buffer: UnsafeBufferPointer<UInt8>, _ options: Options) throws(Error) -> JSONValue {
        var p = JSONParser(buffer, options, recorder: nil)
        return try p.document()
    }

    // MARK: - Implementation

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private let options: Options
    private var depth = 0
    /// Nil unless a source map was asked for: the per-message path pays one nil check per value.
    private let recorder: LocationRecorder?

    private init(_ b: UnsafeBufferPointer<UInt8>, _ options: Options, recorder: LocationRecorder?) {
        self.b = b
        self.options = options
        self.recorder = recorder
    }

    private mutating func document() throws(Error) -> JSONValue {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }  // tolerate a BOM
        try skipSpace()
        guard i < b.count else { throw fail("the document is empty") }
        let v = try value()
        try skipSpace()
        if i < b.count { throw fail("unexpected \(describe(b[i])) after the end of the JSON value") }
        return v
    }

    private mutating func value() throws(Error) -> JSONValue {
        if let recorder { recorder.map.values[recorder.path] = location(at: i) }
        guard i < b.count else { throw fail("unexpected end of input: expected a value") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected \(describe(b[i])): expected a value")
        }
    }

    private mutating func object() throws(Error) -> JSONValue {
        depth += 1
        if depth > options.maxDepth { throw fail("nesting is deeper than \(options.maxDepth) levels") }
        defer { depth -= 1 }
        i += 1
        var obj = JSONObject()
        // Duplicate keys: a linear scan for the small objects JSON-RPC is made of (a Set per object
        // was 8% of a gateway's instructions), a Set past a few dozen keys.
        var seen: Set<String>?
        try skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
        // Room for the few keys JSON-RPC objects have, at once: growing 1, 2, 4 took three allocations.
        obj.reserveCapacity(4)
        while true {
            try skipSpace()
            guard i < b.count else { throw fail("unexpected end of input inside an object") }
            guard b[i] == UInt8(ascii: "\"") else {
                throw fail("unexpected \(describe(b[i])): expected a key in double quotes")
            }
            let keyStart = i
            let key = try string()
            let duplicate: Bool
            if obj.count < 32 {
                duplicate = obj.entries.contains { $0.key == key }
            } else {
                if seen == nil { seen = Set(obj.entries.map(\.key)) }
                duplicate = !seen!.insert(key).inserted
            }
            if duplicate {
                i = keyStart
                throw fail("duplicate key \"\(key)\"")
            }
            try skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            i += 1
            try skipSpace()
            let v: JSONValue
            if let recorder {
                let saved = recorder.path
                recorder.path = saved.appending(key)
                recorder.map.keys[recorder.path] = location(at: keyStart)
                v = try value()
                recorder.path = saved
            } else {
                v = try value()
            }
            obj.appendUnchecked(key, v)
            try skipSpace()
            guard i < b.count else { throw fail("unexpected end of input inside an object") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                if options.allowComments {  // policy files may end a list with a comma
                    try skipSpace()
                    if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                }
                continue
            }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
            throw fail("unexpected \(describe(b[i])): expected ',' or '}'")
        }
    }

    private mutating func array() throws(Error) -> JSONValue {
        depth += 1
        if depth > options.maxDepth { throw fail("nesting is deeper than \(options.maxDepth) levels") }
        defer { depth -= 1 }
        i += 1
        var arr: [JSONValue] = []
        try skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
        while true {
            try skipSpace()
            if let recorder {
                let saved = recorder.path
                recorder.path = saved.appending(arr.count)
                arr.append(try value())
                recorder.path = saved
            } else {
                arr.append(try value())
            }
            try skipSpace()
            guard i < b.count else { throw fail("unexpected end of input inside an array") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                if options.allowComments {
                    try skipSpace()
                    if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                }
                continue
            }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
            throw fail("unexpected \(describe(b[i])): expected ',' or ']'")
        }
    }

    // A StaticString: its bytes are compared in place, with no array built per literal.
    private mutating func literal(_ word: StaticString) throws(Error) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end of input: expected '\(word)'") }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] {
            throw fail("unexpected \(describe(b[i])): expected a value")
        }
        i += n
    }

    private mutating func number() throws(Error) -> JSONNumber {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { throw fail("invalid number: expected a digit") }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < b.count, isDigit(b[i]) { throw fail("invalid number: leading zeros are not allowed") }
        } else {
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { throw fail("invalid number: expected a digit after '.'") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { throw fail("invalid number: expected a digit in the exponent") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        return JSONNumber(literal: String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// The keys (and a few values) every MCP message repeats, returned as literals: building a
    /// String from bytes costs ten times as much as recognising one of these.
    private static func commonKey(_ s: UnsafeBufferPointer<UInt8>) -> String? {
        @inline(__always) func match(_ literal: StaticString) -> Bool {
            let p = literal.utf8Start
            for k in 0..<s.count where s[k] != p[k] { return false }
            return true
        }
        switch s.count {
        case 2: return match("id") ? "id" : nil
        case 3: return match("2.0") ? "2.0" : nil
        case 4:
            if match("name") { return "name" }
            if match("type") { return "type" }
            if match("text") { return "text" }
            if match("code") { return "code" }
            return match("data") ? "data" : nil
        case 5:
            if match("error") { return "error" }
            return match("_meta") ? "_meta" : nil
        case 6:
            if match("method") { return "method" }
            if match("params") { return "params" }
            return match("result") ? "result" : nil
        case 7:
            if match("jsonrpc") { return "jsonrpc" }
            if match("content") { return "content" }
            if match("isError") { return "isError" }
            return match("message") ? "message" : nil
        case 9: return match("arguments") ? "arguments" : nil
        case 10:
            if match("tools/call") { return "tools/call" }
            return match("resultType") ? "resultType" : nil
        case 13: return match("progressToken") ? "progressToken" : nil
        case 17: return match("structuredContent") ? "structuredContent" : nil
        default: return nil
        }
    }

    private mutating func string() throws(Error) -> String {
        i += 1
        let start = i
        // Fast path: no escapes. Validation runs only when a byte above ASCII was seen.
        var high: UInt8 = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: b[start..<i])
                if high & 0x80 != 0, !Self.isValidUTF8(slice) {
                    i = start
                    throw fail("invalid UTF-8 in a string")
                }
                i += 1
                if high & 0x80 == 0, let known = Self.commonKey(slice) { return known }
                return String(decoding: slice, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("unescaped control character in a string") }
            high |= c
            i += 1
        }
        // Slow path: decode escapes into a byte buffer.
        var bytes = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                let valid = bytes.withUnsafeBufferPointer { Self.isValidUTF8($0) }
                guard valid else { throw fail("invalid UTF-8 in a string") }
                return String(decoding: bytes, as: UTF8.self)
            }
            if c < 0x20 { throw fail("unescaped control character in a string") }
            if c != UInt8(ascii: "\\") {
                bytes.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                    }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00, low <= 0xDFFF else { throw fail("invalid surrogate pair in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                    throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                UTF8.encode(u) { bytes.append($0) }
            default:
                i -= 1
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Error) -> UInt32 {
        guard i + 4 <= b.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    // Most tokens follow no white space at all: answer that without a call or a loop.
    @inline(__always) private mutating func skipSpace() throws(Error) {
        if i < b.count, b[i] > 0x20, b[i] != UInt8(ascii: "/") { return }
        try skipSpaceAndComments()
    }

    private mutating func skipSpaceAndComments() throws(Error) {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case UInt8(ascii: "/") where options.allowComments:
                guard i + 1 < b.count else { throw fail("unexpected '/'") }
                if b[i + 1] == UInt8(ascii: "/") {
                    while i < b.count, b[i] != 0x0A { i += 1 }
                } else if b[i + 1] == UInt8(ascii: "*") {
                    let open = i
                    i += 2
                    while i + 1 < b.count, !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                    guard i + 1 < b.count else { i = open; throw fail("unterminated /* comment") }
                    i += 2
                } else {
                    throw fail("unexpected '/'")
                }
            default:
                return
            }
        }
    }

    private func describe(_ c: UInt8) -> String {
        if c >= 0x21, c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    private func location(at offset: Int) -> SourceLocation {
        var line = 1
        var lineStart = 0
        let end = min(offset, b.count)
        if let lineStarts = recorder?.lineStarts {
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= end { lo = mid } else { hi = mid - 1 }
            }
            line = lo + 1
            lineStart = lineStarts[lo]
        } else {
            for k in 0..<end where b[k] == 0x0A { line += 1; lineStart = k + 1 }
        }
        var col = 1
        var k = lineStart
        while k < end {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return SourceLocation(line: line, column: col)
    }

    private func fail(_ message: String) -> Error {
        Error(message: message, offset: i, location: location(at: i))
    }

    /// Well-formed UTF-8 as Unicode's table 3-7 defines it: no overlong forms, no encoded
    /// surrogates, nothing past U+10FFFF, no truncated sequences. The same verdict as the
    /// standard library's `String(validating:)`, without its generic per-call overhead.
    static func isValidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        let n = s.count
        while k < n {
            let c = s[k]
            if c < 0x80 { k += 1; continue }
            // The allowed range of the second byte depends on the first; later ones are 80...BF.
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard k + length <= n else { return false }
            let second = s[k + 1]
            guard second >= low, second <= high else { return false }
            for j in 2..<length where s[k + j] & 0xC0 != 0x80 { return false }
            k += length
        }
        return true
    }
}

/// The source map under construction and the current path, for `parseWithMap` only.
private final class LocationRecorder {
    var map = SourceMap()
    var path = JSONPath()
    /// Offsets where lines start, so each recorded location is a binary search, not a scan.
    let lineStarts: [Int]

    init(_ b: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        for k in 0..<b.count where b[k] == 0x0A { starts.append(k + 1) }
        lineStarts = starts
    }
}
