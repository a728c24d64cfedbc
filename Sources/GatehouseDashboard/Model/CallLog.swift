import GatehouseCore

/// The live stream's memory: the newest `capacity` calls of every gateway, oldest first,
/// in a ring so that memory stays flat however long the dashboard runs, plus the subset
/// the current filter keeps, maintained as calls arrive instead of recomputed per frame.
///
/// Every call gets a serial number on arrival; a later update of the same call keeps its
/// place. The entry with serial `s` lives in slot `s % capacity`.
public struct CallLog: Sendable {
    public let capacity: Int
    private var slots: [CallEntry] = []
    /// Serials of the calls held: `firstSerial ..< endSerial`.
    private var firstSerial = 0
    private var endSerial = 0
    private var serialByKey: [CallKey: Int] = [:]
    public private(set) var filter = ListFilter()
    /// With a filter: the serials that match, ascending, valid from `matchStart`.
    private var matches: [Int] = []
    private var matchStart = 0

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0)
        self.capacity = capacity
        slots.reserveCapacity(min(capacity, 1024))
    }

    /// All calls held, filtered or not.
    public var count: Int { endSerial - firstSerial }

    /// Calls the filter keeps (all of them without a filter).
    public var visibleCount: Int { filter.isEmpty ? count : matches.count - matchStart }

    public func visible(at index: Int) -> CallEntry {
        slots[slot(filter.isEmpty ? firstSerial + index : matches[matchStart + index])]
    }

    /// Position among the visible calls; nil when filtered out or no longer held.
    public func visibleIndex(of key: CallKey) -> Int? {
        guard let s = serialByKey[key] else { return nil }
        if filter.isEmpty { return s - firstSerial }
        let i = lowerBound(s)
        return i < matches.count && matches[i] == s ? i - matchStart : nil
    }

    /// Where a call that is not visible would sit: the index of the first visible call
    /// after it (clamped), so a selection hidden by a filter lands on a neighbour.
    public func nearestVisibleIndex(to key: CallKey) -> Int? {
        guard visibleCount > 0 else { return nil }
        if let i = visibleIndex(of: key) { return i }
        guard let s = serialByKey[key] else { return nil }
        return min(lowerBound(s) - matchStart, visibleCount - 1)
    }

    public func entry(for key: CallKey) -> CallEntry? {
        serialByKey[key].map { slots[slot($0)] }
    }

    public func contains(_ key: CallKey) -> Bool { serialByKey[key] != nil }

    public var newestVisible: CallEntry? { visibleCount > 0 ? visible(at: visibleCount - 1) : nil }

    /// Adds a call, or replaces an earlier state of it in place.
    /// - Returns: true when the call is new.
    @discardableResult
    public mutating func upsert(_ entry: CallEntry) -> Bool {
        if let s = serialByKey[entry.key] {
            let wasMatch = !filter.isEmpty && filter.matches(slots[slot(s)].haystack)
            slots[slot(s)] = entry
            if !filter.isEmpty {
                let isMatch = filter.matches(entry.haystack)
                if wasMatch != isMatch {
                    let i = lowerBound(s)
                    if isMatch { matches.insert(s, at: i) } else { matches.remove(at: i) }
                }
            }
            return false
        }
        if count == capacity { evictOldest() }
        let s = endSerial
        endSerial += 1
        if slots.count < capacity { slots.append(entry) } else { slots[slot(s)] = entry }
        serialByKey[entry.key] = s
        if !filter.isEmpty, filter.matches(entry.haystack) { matches.append(s) }
        return true
    }

    /// Keeps only the calls for which `keep` is true, in order (a resync of one gateway).
    public mutating func retain(where keep: (CallEntry) -> Bool) {
        let kept = (firstSerial..<endSerial).map { slots[slot($0)] }.filter(keep)
        let f = filter
        self = CallLog(capacity: capacity)
        filter = f
        for e in kept { upsert(e) }
    }

    /// Replaces every call with `entries`, in that order (a snapshot merged by time).
    public mutating func replaceAll(with entries: [CallEntry]) {
        let f = filter
        self = CallLog(capacity: capacity)
        filter = f
        for e in entries.suffix(capacity) { upsert(e) }
    }

    public mutating func setFilter(_ f: ListFilter) {
        guard f != filter else { return }
        filter = f
        matches = []
        matchStart = 0
        guard !f.isEmpty else { return }
        for s in firstSerial..<endSerial where f.matches(slots[slot(s)].haystack) { matches.append(s) }
    }

    /// Every call held, oldest first (tests and resyncs; views use `visible(at:)`).
    public var all: [CallEntry] { (firstSerial..<endSerial).map { slots[slot($0)] } }

    // MARK: Internals

    private func slot(_ serial: Int) -> Int { serial % capacity }

    private mutating func evictOldest() {
        let s = firstSerial
        serialByKey[slots[slot(s)].key] = nil
        firstSerial += 1
        if !filter.isEmpty, matchStart < matches.count, matches[matchStart] == s {
            matchStart += 1
            // Drop the dead prefix now and then, so `matches` stays as small as the ring.
            if matchStart >= capacity {
                matches.removeFirst(matchStart)
                matchStart = 0
            }
        }
    }

    /// First index in `matches` (from `matchStart`) whose serial is >= `s`.
    private func lowerBound(_ s: Int) -> Int {
        var lo = matchStart, hi = matches.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if matches[mid] < s { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
