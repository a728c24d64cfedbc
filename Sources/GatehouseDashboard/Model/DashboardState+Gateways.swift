import GatehouseCore

/// Connections, snapshots and live events: how gateways' news gets into the model.
extension DashboardState {
    mutating func addGateway(_ id: GatewayID) {
        guard gateways[id] == nil else { return }
        gateways[id] = GatewayState(id: id, name: GatewayState.provisionalName(for: id))
        gatewayOrder.append(id)
    }

    mutating func connected(_ id: GatewayID, _ hello: HelloResult) {
        addGateway(id)
        gateways[id]?.hello = hello
        gateways[id]?.name = hello.gateway.name
        gateways[id]?.connection = .subscribing
    }

    mutating func disconnected(_ id: GatewayID, reason: String, retryAt: Double?, now: Double) {
        addGateway(id)
        let was = gateways[id]?.connection
        gateways[id]?.connection = .disconnected(reason: reason, since: now, retryAt: retryAt)
        if was?.isConnected == true {
            say("\(gatewayName(id)): connection lost (\(reason)); reconnecting", .warning, at: now)
        }
        // Answers that will never come: say so, the operator must check the call's state.
        for (token, cmd) in inFlight where cmd.gateway == id {
            inFlight[token] = nil
            if cmd.batch != nil { _ = settle(cmd, refusal: "no answer from \(gatewayName(id))", now: now); continue }
            say("\(cmd.label): no answer, the connection to \(gatewayName(id)) was lost; check the call's state",
                .error, at: now)
        }
    }

    /// A snapshot (after subscribing, or in a resync) replaces what we knew of that gateway.
    /// Finished calls are facts and stay in the stream; calls we had as still running are
    /// dropped and taken again from the snapshot, which knows how they ended.
    mutating func adopt(_ snap: Snapshot, from id: GatewayID, now: Double, missed: Int?) {
        addGateway(id)
        let wasFollowing = isFollowing
        gateways[id]?.name = snap.gateway.name
        gateways[id]?.policy = snap.policy
        gateways[id]?.killSwitch = snap.killSwitch
        gateways[id]?.tools = snap.tools
        gateways[id]?.counters = Dictionary(snap.counters.map { ($0.key, CounterEntry(info: $0, observedAt: now)) },
                                             uniquingKeysWith: { $1 })
        gateways[id]?.upstreamRunning = snap.upstreamRunning
        gateways[id]?.lastSeq = snap.seq
        gateways[id]?.connection = .connected
        gateways[id]?.everConnected = true

        if log.all.contains(where: { $0.key.gateway == id && !$0.record.outcome.isFinal }) {
            log.retain { $0.key.gateway != id || $0.record.outcome.isFinal }
        }
        // Held calls belong in the stream too; recent may not reach back to the oldest of them.
        let fresh = snap.recent.map { CallEntry(gateway: id, record: $0) }
            + snap.pending.filter { p in !snap.recent.contains { $0.id == p.id } }.map { CallEntry(gateway: id, record: $0.call) }
        let newest = log.count > 0 ? log.all.map(\.record.receivedAt).max() ?? 0 : 0
        if fresh.contains(where: { !log.contains($0.key) && $0.record.receivedAt < newest }) {
            // Another gateway's calls are already here: merge by time, so the stream reads in order.
            var byKey = Dictionary(log.all.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
            for e in fresh { byKey[e.key] = e }
            let merged = byKey.values.sorted { ($0.record.receivedAt, $0.key.id) < ($1.record.receivedAt, $1.key.id) }
            log.replaceAll(with: merged)
        } else {
            for e in fresh { log.upsert(e) }
        }
        let gone = pending.replace(gateway: id, with: snap.pending)
        for item in gone where pendingCursor.key == item.key && focus == .pending {
            let note = log.entry(for: item.key).map { ResolutionBook.describe($0.record) } ?? "no longer waiting"
            pendingGhost = PendingGhost(item: item, note: resolutions.note(for: item.key) ?? note)
        }
        normalizeAll(now: now)
        if wasFollowing, !isPaused {
            jumpToNewest()
            streamCursor.autoSelectedAt = now
        }
        if let missed {
            say("\(gatewayName(id)): the dashboard fell behind and missed \(Format.count(missed)) events; state reloaded",
                .warning, at: now)
        }
    }

    mutating func ingest(_ event: ControlEvent, from id: GatewayID, now: Double) {
        guard let g = gateways[id] else { return }
        // The gateway numbers events; one we already have (seq at or below the snapshot's) is old news.
        if event.seq != 0, event.seq <= g.lastSeq { return }
        gateways[id]?.lastSeq = event.seq
        let name = g.name
        switch event.type {
        case .call:
            if let r = event.call { record(r, from: id, now: now, arrival: true) }
        case .approvalPending:
            guard let a = event.approval else { return }
            let item = PendingItem(gateway: id, approval: a)
            pending.upsert(item)
            record(a.call, from: id, now: now, arrival: true)
            normalizePending(now: now)
        case .approvalResolved:
            guard let r = event.resolution else { return }
            let key = CallKey(gateway: id, id: r.id)
            resolutions.record(key, ResolutionBook.describe(r))
            resolve(key, now: now)
        case .counter:
            for c in event.counters ?? [] {
                gateways[id]?.counters[c.key] = CounterEntry(info: c, observedAt: now)
            }
            normalizeCounters(now: now)
        case .tools:
            gateways[id]?.tools = event.tools ?? []
            normalizeTools(now: now)
        case .killSwitch:
            guard let k = event.killSwitch else { return }
            gateways[id]?.killSwitch = k
            if k.engaged != g.killSwitch.engaged {
                say(k.engaged ? "\(name): KILL SWITCH ENGAGED by \(k.by ?? "?")" : "\(name): kill switch released by \(k.by ?? "?")",
                    k.engaged ? .error : .success, at: now)
            }
        case .policyReloaded:
            guard let p = event.policy else { return }
            gateways[id]?.policy = p
            gateways[id]?.policyRejection = nil
            let warnings = event.errors ?? []
            say("\(name): policy reloaded (\(p.sha256.prefix(8)))" + (warnings.first.map { "; warning: \($0)" } ?? ""),
                warnings.isEmpty ? .info : .warning, at: now)
        case .policyRejected:
            let errors = event.errors ?? []
            gateways[id]?.policyRejection = errors
            say("\(name): the changed policy file is invalid, the old policy stays in force: \(errors.first ?? "")",
                .error, at: now)
        case .upstream:
            gateways[id]?.upstreamRunning = event.upstreamRunning ?? false
            gateways[id]?.upstreamMessage = event.message
            if event.upstreamRunning == false {
                say("\(name): the upstream server stopped: \(event.message ?? "")", .error, at: now)
            }
        }
    }

    /// A call's latest state from an event or a command's answer.
    mutating func record(_ r: CallRecord, from id: GatewayID, now: Double, arrival: Bool) {
        let entry = CallEntry(gateway: id, record: r)
        let wasAtNewest = streamCursor.key == nil || streamCursor.key == log.newestVisible?.key
        let isNew = log.upsert(entry)
        if isNew, arrival { gateways[id]?.rate.record(at: now) }
        pending.update(entry)
        if r.outcome != .held, pending.item(entry.key) != nil {
            // The call moved on without an approval.resolved reaching us (yet): it is not waiting.
            resolutions.record(entry.key, ResolutionBook.describe(r))
            resolve(entry.key, now: now)
        }
        if pendingGhost?.item.key == entry.key { pendingGhost?.item.entry = entry }
        guard !isPaused else {
            if isNew { newWhilePaused += 1 }
            return
        }
        if isNew, followNewest, wasAtNewest, log.visibleIndex(of: entry.key) != nil {
            // Following: the cursor stays on the newest call, on the bottom screen row.
            streamCursor.key = entry.key
            streamCursor.lastIndex = log.visibleCount - 1
            streamCursor.row = min(streamCursor.row + 1, screen.rows(.stream) - 1)
            streamCursor.autoSelectedAt = now
        } else if streamCursor.key.map({ !log.contains($0) }) ?? true {
            streamCursor = streamCursor.normalized(in: StreamRows(log: log), now: now)
        }
    }

    /// A held call left the queue. If the operator had it selected in the focused pending
    /// panel it stays on screen as a ghost; elsewhere the cursor takes its neighbour.
    mutating func resolve(_ key: CallKey, now: Double) {
        let note = resolutions.note(for: key) ?? "no longer waiting"
        if let removed = pending.remove(key) {
            if pendingCursor.key == key, focus == .pending { pendingGhost = PendingGhost(item: removed, note: note) }
        } else if pendingGhost?.item.key == key {
            pendingGhost?.note = note
        } else {
            return
        }
        normalizePending(now: now)
    }

    // MARK: Keeping cursors on real rows

    mutating func normalizeAll(now: Double) {
        if streamCursor.key.map({ !streamLog.contains($0) }) ?? true {
            streamCursor = streamCursor.normalized(in: StreamRows(log: streamLog), now: now)
            if streamCursor.key != nil, followNewest, !isPaused, let newest = streamLog.newestVisible {
                streamCursor.key = newest.key
                streamCursor.lastIndex = streamLog.visibleCount - 1
                streamCursor.row = screen.rows(.stream) - 1
            }
        }
        normalizePending(now: now)
        normalizeTools(now: now)
        normalizeCounters(now: now)
    }

    mutating func normalizePending(now: Double) {
        if let ghost = pendingGhost, pendingCursor.key != ghost.item.key { pendingGhost = nil }
        let keys = pendingRows.map(\.key)
        let hadSelection = pendingCursor.key != nil
        pendingCursor = pendingCursor.normalized(in: keys, now: now)
        if !hadSelection, pendingCursor.key != nil { pendingCursor.autoSelectedAt = now }
    }

    mutating func normalizeTools(now: Double) {
        toolsCursor = toolsCursor.normalized(in: toolRows.map(\.key), now: now)
    }

    mutating func normalizeCounters(now: Double) {
        countersCursor = countersCursor.normalized(in: counterRows.map(\.key), now: now)
    }
}
