import GatehouseCore

/// The dashboard's whole view model: what every gateway said, what the operator selected,
/// and which dialog is open. A pure value: `apply(_:now:)` takes one input (a key, an
/// event, a tick) and returns the commands for the app layer to run. Nothing here touches
/// a socket or the terminal, so every behaviour is tested by feeding inputs.
public struct DashboardState: Sendable {
    public struct Options: Sendable {
        /// Watch only: every decision key is refused, with the reason.
        public var readOnly: Bool
        /// How many calls the stream keeps (oldest drop first).
        public var historyCapacity: Int
        public var keyMap: KeyMap

        public init(readOnly: Bool = false, historyCapacity: Int = 10_000, keyMap: KeyMap = .standard) {
            self.readOnly = readOnly
            self.historyCapacity = historyCapacity
            self.keyMap = keyMap
        }
    }

    public let options: Options
    public internal(set) var gateways: [GatewayID: GatewayState] = [:]
    /// Gateways in the order they were found.
    public internal(set) var gatewayOrder: [GatewayID] = []
    public internal(set) var log: CallLog
    /// While paused, the stream shows this copy; `log` keeps collecting.
    public internal(set) var frozen: CallLog?
    public internal(set) var newWhilePaused = 0
    public internal(set) var pending = PendingQueue()
    public internal(set) var pendingGhost: PendingGhost?
    public internal(set) var resolutions = ResolutionBook()
    public internal(set) var focus: Panel = .stream
    public internal(set) var streamCursor = ListCursor<CallKey>()
    /// The operator's follow preference; the stream follows only while the cursor is on
    /// the newest call (see `isFollowing`).
    public internal(set) var followNewest = true
    public internal(set) var pendingCursor = ListCursor<CallKey>()
    public internal(set) var toolsCursor = ListCursor<ToolKey>()
    public internal(set) var countersCursor = ListCursor<CounterRef>()
    /// Filters of the pending, tools and counters panels (the stream's lives in `log`).
    public internal(set) var filters: [Panel: ListFilter] = [:]
    public internal(set) var detail: DetailState?
    public internal(set) var modal: Modal?
    public internal(set) var status: StatusMessage?
    public internal(set) var screen = ScreenMap()
    public internal(set) var inFlight: [Int: InFlightCommand] = [:]
    public internal(set) var batches: [Int: CommandBatch] = [:]
    var nextToken = 1

    public init(options: Options = Options()) {
        self.options = options
        log = CallLog(capacity: options.historyCapacity)
    }

    /// Applies one input; returns what the app layer must do.
    public mutating func apply(_ input: DashboardInput, now: Double) -> [DashboardCommand] {
        switch input {
        case .key(let key): return handleKey(key, now: now)
        case .tick: return []
        case .layout(let map): adoptLayout(map)
        case .gatewayFound(let id): addGateway(id)
        case .connecting(let id): gateways[id]?.connection = .connecting
        case .connected(let id, let hello): connected(id, hello)
        case .disconnected(let id, let reason, let retryAt): disconnected(id, reason: reason, retryAt: retryAt, now: now)
        case .snapshot(let id, let snap): adopt(snap, from: id, now: now, missed: nil)
        case .resync(let id, let params): adopt(params.snapshot, from: id, now: now, missed: params.missed)
        case .event(let id, let event): ingest(event, from: id, now: now)
        case .commandSucceeded(let token, let reply): commandSucceeded(token, reply, now: now)
        case .commandFailed(let token, let message): commandFailed(token, message, now: now)
        case .terminationRequested: return [.quit]
        }
        return []
    }

    /// The same as `apply`, as a function of the old state (for tests that like it so).
    public static func reduce(_ state: DashboardState, _ input: DashboardInput, now: Double)
        -> (DashboardState, [DashboardCommand]) {
        var s = state
        let commands = s.apply(input, now: now)
        return (s, commands)
    }

    // MARK: Derived views of the state

    public var isPaused: Bool { frozen != nil }
    /// What the stream panel shows: the live log, or its frozen copy while paused.
    public var streamLog: CallLog { frozen ?? log }
    public var streamSelectedIndex: Int? { streamCursor.key.flatMap { streamLog.visibleIndex(of: $0) } }

    /// True while new calls move the cursor: follow is on, the stream is not paused, and
    /// the cursor sits on the newest call.
    public var isFollowing: Bool {
        followNewest && !isPaused && (streamCursor.key == nil || streamCursor.key == streamLog.newestVisible?.key)
    }

    public func filter(_ panel: Panel) -> ListFilter {
        panel == .stream ? log.filter : filters[panel] ?? ListFilter()
    }

    public var gatewayList: [GatewayState] { gatewayOrder.compactMap { gateways[$0] } }

    /// The key context for the operator's next key.
    public var keyContext: KeyContext {
        if let modal { return modal.context }
        if detail != nil { return .detail }
        return focus.context
    }

    /// Pending rows as drawn: held calls passing the filter, plus the selected one that
    /// just left the queue, at its old place.
    public var pendingRows: [PendingRow] {
        let f = filter(.pending)
        var rows = pending.items.filter { f.isEmpty || f.matches($0.entry.haystack) }.map(PendingRow.live)
        if let ghost = pendingGhost {
            let at = rows.firstIndex { $0.item.approval.heldAt > ghost.item.approval.heldAt } ?? rows.count
            rows.insert(.ghost(ghost), at: at)
        }
        return rows
    }

    /// Tools of every gateway, gateway by gateway, in catalogue order.
    public var toolRows: [(key: ToolKey, tool: ToolInfo, gateway: GatewayState)] {
        let f = filter(.tools)
        return gatewayList.flatMap { g in
            g.tools.filter { t in
                f.matches(t.name, t.state, t.risk.rawValue, t.override ?? "", g.name)
            }.map { (ToolKey(gateway: g.id, name: $0.name), $0, g) }
        }
    }

    /// Counters of every gateway, sorted by key.
    public var counterRows: [(key: CounterRef, counter: CounterEntry, gateway: GatewayState)] {
        let f = filter(.counters)
        return gatewayList.flatMap { g in
            g.counters.values.sorted { $0.info.key < $1.info.key }
                .filter { f.matches($0.info.key, g.name) }
                .map { (CounterRef(gateway: g.id, key: $0.info.key), $0, g) }
        }
    }

    /// Panels Tab visits: the pending panel only while it has something (or has focus).
    public var cyclePanels: [Panel] {
        Panel.allCases.filter { $0 != .pending || !pending.isEmpty || pendingGhost != nil || focus == .pending }
    }

    public func rate(at now: Double) -> Double {
        gateways.values.reduce(0) { $0 + $1.rate.perSecond(at: now) }
    }

    public func gatewayName(_ id: GatewayID) -> String {
        gateways[id]?.name ?? GatewayState.provisionalName(for: id)
    }

    /// A call by key from wherever it is known: the queue, the live log, the paused copy.
    public func call(_ key: CallKey) -> CallEntry? {
        pending.item(key)?.entry ?? log.entry(for: key) ?? frozen?.entry(for: key)
    }

    // MARK: Small helpers shared by the extensions

    mutating func say(_ text: String, _ kind: StatusMessage.Kind = .info, at now: Double) {
        status = StatusMessage(text, kind, at: now)
    }

    private mutating func adoptLayout(_ map: ScreenMap) {
        screen = map
        if case .help(let context, let scroll)? = modal, scroll > map.helpMaxScroll {
            modal = .help(context: context, scroll: map.helpMaxScroll)
        }
        if let d = detail, d.scroll > map.detailMaxScroll { detail?.scroll = map.detailMaxScroll }
    }
}

extension DashboardState {
    /// True when the call a decision key would act on is waiting for approval (for hints;
    /// the decision itself re-checks everything through `decisionTarget`).
    public var selectionIsHeld: Bool {
        let key: CallKey?
        if let d = detail {
            guard case .call(let k) = d.target else { return false }
            key = k
        } else {
            switch focus {
            case .stream: key = streamCursor.key
            case .pending: key = pendingGhost?.item.key == pendingCursor.key ? nil : pendingCursor.key
            case .tools, .counters: key = nil
            }
        }
        guard let key else { return false }
        return pending.item(key) != nil || call(key)?.status == .held
    }

    /// True when an override key has a tool to act on.
    public var selectionHasTool: Bool {
        if detail != nil { return true }
        switch focus {
        case .stream: return streamCursor.key != nil
        case .pending: return pendingCursor.key != nil
        case .tools: return toolsCursor.key != nil
        case .counters: return false
        }
    }
}
