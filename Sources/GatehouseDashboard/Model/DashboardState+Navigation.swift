/// Moving around: focus, cursors, paging, the detail view, filters, pause and follow, mouse.
extension DashboardState {
    var page: Int { detail != nil ? max(1, screen.detailRows - 1) : max(1, screen.rows(focus) - 1) }

    mutating func move(by delta: Int) {
        if let d = detail {
            detail?.scroll = min(max(0, d.scroll + delta), screen.detailMaxScroll)
            return
        }
        moveCursor(in: focus, by: delta)
    }

    mutating func moveCursor(in panel: Panel, by delta: Int) {
        let rows = screen.rows(panel)
        switch panel {
        case .stream:
            streamCursor = streamCursor.moved(in: StreamRows(log: streamLog), by: delta, page: rows)
        case .pending:
            pendingCursor = pendingCursor.moved(in: pendingRows.map(\.key), by: delta, page: rows)
            if let ghost = pendingGhost, ghost.item.key != pendingCursor.key {
                pendingGhost = nil
                pendingCursor.lastIndex = pendingRows.firstIndex { $0.key == pendingCursor.key } ?? 0
            }
        case .tools:
            toolsCursor = toolsCursor.moved(in: toolRows.map(\.key), by: delta, page: rows)
        case .counters:
            countersCursor = countersCursor.moved(in: counterRows.map(\.key), by: delta, page: rows)
        }
    }

    mutating func cycleFocus(by step: Int, now: Double) {
        let panels = cyclePanels
        let i = panels.firstIndex(of: focus) ?? 0
        show(panels[(i + step + panels.count) % panels.count], now: now)
    }

    mutating func show(_ panel: Panel, now: Double, sayIfEmpty: Bool = false) {
        detail = nil
        focus = panel
        if panel != .pending, pendingGhost != nil {
            // A ghost only makes sense under the operator's eyes.
            pendingGhost = nil
            normalizePending(now: now)
        }
        if sayIfEmpty, panel == .pending, pending.isEmpty, pendingGhost == nil {
            say("no calls are waiting for approval", .info, at: now)
        }
    }

    mutating func back(now: Double) {
        if detail != nil {
            detail = nil
        } else if !filter(focus).isEmpty {
            setFilter("", on: focus, now: now)
            say("filter cleared", .info, at: now)
        }
    }

    // MARK: Detail

    mutating func openDetail(now: Double) {
        switch focus {
        case .stream:
            guard let key = streamCursor.key else { return say("no call selected", .info, at: now) }
            detail = DetailState(target: .call(key), fallback: call(key))
        case .pending:
            guard let row = pendingRows.first(where: { $0.key == pendingCursor.key }) else {
                return say("no call selected", .info, at: now)
            }
            detail = DetailState(target: .call(row.key), fallback: row.item.entry)
        case .tools:
            guard let key = toolsCursor.key else { return say("no tool selected", .info, at: now) }
            detail = DetailState(target: .tool(key))
        case .counters:
            say("counters have no detail view; the panel shows all there is", .info, at: now)
        }
    }

    /// The call the detail view shows, as fresh as known.
    public var detailCall: CallEntry? {
        guard let d = detail, case .call(let key) = d.target else { return nil }
        return call(key) ?? d.fallback
    }

    // MARK: Stream: pause and follow

    mutating func togglePause(now: Double) {
        if let shown = frozen {
            let wasAtNewest = streamCursor.key == shown.newestVisible?.key
            frozen = nil
            newWhilePaused = 0
            if followNewest, wasAtNewest { jumpToNewest() } else { streamCursor = streamCursor.normalized(in: StreamRows(log: log), now: now) }
            say("resumed", .info, at: now)
        } else {
            frozen = log
            newWhilePaused = 0
            say("paused: new calls are still collected; Space resumes", .info, at: now)
        }
    }

    mutating func toggleFollow(now: Double) {
        followNewest.toggle()
        if followNewest {
            if frozen != nil {
                frozen = nil
                newWhilePaused = 0
            }
            jumpToNewest()
            say("following the newest call", .info, at: now)
        } else {
            say("follow off: the cursor stays where it is", .info, at: now)
        }
    }

    mutating func jumpToNewest() {
        guard let newest = streamLog.newestVisible else { return }
        streamCursor.key = newest.key
        streamCursor.lastIndex = streamLog.visibleCount - 1
        streamCursor.row = screen.rows(.stream) - 1
        streamCursor.autoSelectedAt = nil
    }

    // MARK: Filters

    mutating func openFilter() {
        let text = filter(focus).text
        modal = .filter(panel: focus, editor: LineEditor(text: text, maxLength: 120), previous: text)
    }

    mutating func setFilter(_ text: String, on panel: Panel, now: Double) {
        let f = ListFilter(text)
        switch panel {
        case .stream:
            let wasAtNewest = isFollowing
            log.setFilter(f)
            frozen?.setFilter(f)
            if wasAtNewest {
                jumpToNewest()
            } else if let key = streamCursor.key, streamLog.visibleIndex(of: key) == nil,
                      let i = streamLog.nearestVisibleIndex(to: key) {
                streamCursor.key = streamLog.visible(at: i).key
                streamCursor.lastIndex = i
            } else {
                streamCursor = streamCursor.normalized(in: StreamRows(log: streamLog), now: now)
            }
            // The operator is looking at the list while typing: not a move behind their back.
            streamCursor.autoSelectedAt = nil
        case .pending:
            filters[.pending] = f
            normalizePending(now: now)
            pendingCursor.autoSelectedAt = nil
        case .tools:
            filters[.tools] = f
            normalizeTools(now: now)
            toolsCursor.autoSelectedAt = nil
        case .counters:
            filters[.counters] = f
            normalizeCounters(now: now)
            countersCursor.autoSelectedAt = nil
        }
    }

    // MARK: Mouse

    mutating func handleMouse(row: Int, col: Int, button: MouseButton, now: Double) {
        if case .help(let context, let scroll)? = modal {
            if button == .wheelUp { modal = .help(context: context, scroll: max(0, scroll - 3)) }
            if button == .wheelDown { modal = .help(context: context, scroll: min(screen.helpMaxScroll, scroll + 3)) }
            return
        }
        guard modal == nil else { return }  // dialogs answer to keys only
        if detail != nil {
            if button == .wheelUp { move(by: -3) }
            if button == .wheelDown { move(by: 3) }
            return
        }
        guard let region = screen.region(row: row, col: col) else { return }
        let panel: Panel
        switch region.target {
        case .panel(let p): panel = p
        case .streamRow: panel = .stream
        case .pendingRow: panel = .pending
        case .toolRow: panel = .tools
        case .counterRow: panel = .counters
        }
        switch button {
        case .wheelUp:
            show(panel, now: now)
            moveCursor(in: panel, by: -3)
        case .wheelDown:
            show(panel, now: now)
            moveCursor(in: panel, by: 3)
        case .left:
            show(panel, now: now)
            let r = region.listRow ?? 0
            switch region.target {
            case .streamRow(let k): streamCursor = streamCursor.picked(k, in: StreamRows(log: streamLog), screenRow: r)
            case .pendingRow(let k):
                pendingCursor = pendingCursor.picked(k, in: pendingRows.map(\.key), screenRow: r)
                if let ghost = pendingGhost, ghost.item.key != k { pendingGhost = nil }
            case .toolRow(let k): toolsCursor = toolsCursor.picked(k, in: toolRows.map(\.key), screenRow: r)
            case .counterRow(let k): countersCursor = countersCursor.picked(k, in: counterRows.map(\.key), screenRow: r)
            case .panel: break
            }
        case .middle, .right:
            break
        }
    }
}
