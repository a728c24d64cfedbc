import Foundation
import GatehouseCore

/// Messages from the MCP client: everything passes through untouched except `tools/call`
/// (decided here), and a few requests whose answers the gateway needs to see.
extension Enforcer {
    public func handleClientLine(_ bytes: [UInt8]) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        let message: JSONValue
        do {
            message = try JSONParser.parse(bytes)
        } catch {
            log.warning("client sent invalid JSON: \(error.message)")
            outputs.toClient(JSONRPC.error(id: .null, code: JSONRPC.parseError, message: "Parse error: \(error.message)"))
            return
        }
        switch message {
        case .object(let o):
            handleClientObject(o, raw: bytes)
        case .array:
            outputs.toClient(JSONRPC.error(
                id: .null, code: JSONRPC.invalidRequest,
                message: "JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per line"))
        default:
            outputs.toClient(JSONRPC.error(id: .null, code: JSONRPC.invalidRequest, message: "Invalid Request: expected a JSON object"))
        }
    }

    public func handleClientTooLong(_ byteCount: Int, limit: Int) {
        log.warning("client sent a \(byteCount)-byte message; the limit is \(limit) bytes, so it was dropped")
        outputs.toClient(JSONRPC.error(
            id: .null, code: JSONRPC.invalidRequest,
            message: "Message of \(byteCount) bytes exceeds the gateway's limit of \(limit) bytes and was dropped"))
    }

    private func handleClientObject(_ o: JSONObject, raw: [UInt8]) {
        let id = o["id"]
        let method = o["method"]
        if let id, !Self.validID(id) {
            outputs.toClient(JSONRPC.error(id: .null, code: JSONRPC.invalidRequest, message: "Invalid Request: id must be a string or a number"))
            return
        }
        guard let method else {
            // A response to a server-to-client request (sampling, elicitation, roots): pass through.
            if o["result"] != nil || o["error"] != nil {
                forwardToUpstream(raw, requestID: nil)
            } else if let id {
                outputs.toClient(JSONRPC.error(id: id, code: JSONRPC.invalidRequest, message: "Invalid Request: no method"))
            }
            return
        }
        guard case .string(let name) = method else {
            if let id { outputs.toClient(JSONRPC.error(id: id, code: JSONRPC.invalidRequest, message: "Invalid Request: method must be a string")) }
            return
        }
        guard let id else {
            handleClientNotification(name, o, raw: raw)
            return
        }
        switch name {
        case "tools/call":
            handleToolCall(o, id: id, raw: raw)
        case "tools/list":
            if claim(id, \.listRequests) { forwardToUpstream(raw, requestID: id) }
        case "initialize":
            state.withLock { $0.handshakeClient = true }
            if claim(id, \.initializeRequests) { forwardToUpstream(raw, requestID: id) }
        case "subscriptions/listen":
            // Remembered so visibility changes can be announced on this stream (2026-07-28).
            if o["params"]?["notifications"]?["toolsListChanged"]?.boolValue == true {
                state.withLock { $0.toolListSubscriptions[JSONRPC.key(id)] = id }
            }
            if claim(id, \.otherRequests) { forwardToUpstream(raw, requestID: id) }
        default:
            if claim(id, \.otherRequests) { forwardToUpstream(raw, requestID: id) }
        }
    }

    /// Records a request as awaiting its answer; refuses (and answers) a duplicate of one that
    /// still is, whose answer would otherwise be taken for the other's.
    private func claim(_ id: JSONValue, _ set: WritableKeyPath<State, Set<String>>) -> Bool {
        let key = JSONRPC.key(id)
        let claimed = state.withLock { s in
            guard !s.isAwaiting(key) else { return false }
            s[keyPath: set].insert(key)
            return true
        }
        if !claimed { outputs.toClient(Self.duplicateID(id, key: key)) }
        return claimed
    }

    static func duplicateID(_ id: JSONValue, key: String) -> [UInt8] {
        JSONRPC.error(id: id, code: JSONRPC.invalidRequest, message: "Invalid Request: a request with id \(key) is already in progress")
    }

    static func validID(_ id: JSONValue) -> Bool {
        switch id {
        case .string, .number: true
        default: false
        }
    }

    /// Forwards a message; a request the upstream cannot take is answered with an error at once.
    func forwardToUpstream(_ raw: [UInt8], requestID: JSONValue?) {
        let failure = state.withLock { $0.upstreamRunning ? nil : ($0.upstreamFailure ?? "the upstream server is not running") }
        if let failure {
            if let requestID, stopWaiting(for: requestID) {
                outputs.toClient(JSONRPC.error(id: requestID, code: JSONRPC.internalError, message: "Upstream unavailable: \(failure)"))
            }
            return
        }
        // If the upstream exited meanwhile, `upstreamExited` may have answered the request already.
        if !outputs.toUpstream(raw), let requestID, stopWaiting(for: requestID) {
            outputs.toClient(JSONRPC.error(id: requestID, code: JSONRPC.internalError, message: "Upstream unavailable: the upstream server is not running"))
        }
    }

    /// Forgets a forwarded request; false when it was no longer awaited (already answered or failed).
    private func stopWaiting(for requestID: JSONValue) -> Bool {
        state.withLock { s in
            let k = JSONRPC.key(requestID)
            let a = s.listRequests.remove(k) != nil
            let b = s.initializeRequests.remove(k) != nil
            let c = s.otherRequests.remove(k) != nil
            return a || b || c
        }
    }

    private func handleClientNotification(_ method: String, _ o: JSONObject, raw: [UInt8]) {
        // Fail closed: a request method sent without an id (`tools/call` above all) would reach
        // the upstream undecided, and a lax server may still act on it. MCP's notifications all
        // live under `notifications/`; anything else without an id is dropped.
        guard method.hasPrefix("notifications/") else {
            log.warning("client sent \"\(method.prefix(100))\" without an id; dropped (only notifications/* may omit the id)")
            return
        }
        if method == "notifications/cancelled", let requestID = o["params"]?["requestId"] {
            state.withLock { _ = $0.toolListSubscriptions.removeValue(forKey: JSONRPC.key(requestID)) }
            let reason = o["params"]?["reason"]?.stringValue
            if cancelHeld(requestID: requestID, reason: reason) { return }
            // A cancelled request may never be answered (the spec lets the upstream stay silent):
            // stop waiting for it, and end a forwarded call as cancelled.
            cancelInFlight(requestID: requestID, reason: reason)
        }
        forwardToUpstream(raw, requestID: nil)
    }

    /// Ends a forwarded request the client cancelled. Its charge stays: the upstream may have done the work.
    private func cancelInFlight(requestID: JSONValue, reason: String?) {
        let key = JSONRPC.key(requestID)
        state.withLock { s in
            s.otherRequests.remove(key)
            guard let f = s.inFlight.removeValue(forKey: key) else { return }
            var r = f.record
            r.outcome = .cancelled
            r.reason = "Cancelled by the client after it was forwarded" + (reason.map { ": \($0)" } ?? "") + "."
            r.latencyMs = latencyMs(since: f.startedAt)
            if let res = f.reservation { try? counters.commit(res) }
            _ = audit(r)
            emitCall(&s, r, recent: .at(f.recent))
        }
    }

    // MARK: - tools/call

    private func handleToolCall(_ o: JSONObject, id: JSONValue, raw: [UInt8]) {
        guard case .object(let params)? = o["params"] else {
            outputs.toClient(JSONRPC.error(id: id, code: JSONRPC.invalidParams, message: "Invalid params: tools/call needs params with a tool name"))
            return
        }
        guard case .string(let tool)? = params["name"], !tool.isEmpty else {
            outputs.toClient(JSONRPC.error(id: id, code: JSONRPC.invalidParams, message: "Invalid params: tools/call needs a non-empty string \"name\""))
            return
        }
        let arguments: JSONValue
        switch params["arguments"] {
        case nil, .null?: arguments = .object(JSONObject())
        case .object(let a)?: arguments = .object(a)
        case let other?:
            outputs.toClient(JSONRPC.error(id: id, code: JSONRPC.invalidParams,
                                           message: "Invalid params: tools/call arguments must be an object, not \(other.typeName)"))
            return
        }
        let progressToken = params["_meta"]?["progressToken"]
        let modern = JSONRPC.isModern(.object(params))
        let now = clock.now()
        let call = CallContext(tool: tool, arguments: arguments, grant: config.gateway.grant, session: config.session)

        // Under a flood that outruns the audit log's ingester, calls wait here, outside every
        // lock, so the client is slowed rather than refused.
        if let store, !store.waitForJournalRoom() {
            log.error("the audit journal has had no room for 10 s (the database is not taking entries); calls may be refused")
        }
        let argsHash = arguments.argumentsHash
        let callID = Self.newCallID()
        let key = JSONRPC.key(id)
        let effects: [Effect] = state.withLock { s in
            if s.isAwaiting(key) { return [.client(Self.duplicateID(id, key: key))] }
            // The decision's counter reservation is durable when `decide` returns (a SQLite commit
            // for a shared counter, a journal entry for a session one); the call's first audit
            // entry is on the journal before anything below forwards or answers the call.
            let decision = s.engine.decide(call, state: s.runtime, now: now)
            var record = CallRecord(
                id: callID, gateway: gatewayName, session: config.session, grant: config.gateway.grant, tool: tool,
                arguments: arguments, argsHash: argsHash,
                receivedAt: now, decision: decision.verdict.kind, outcome: .forwarded, rule: decision.rule,
                reason: decision.message, trace: decision.trace.map(\.description),
                counters: decision.charges.map { "\($0.key) +\(Decision.formatAmount($0.amount))" })
            switch decision.verdict {
            case .allow: record.outcome = .forwarded
            case .deny: record.outcome = .denied
            case .rateLimited: record.outcome = .rateLimited
            case .hold: record.outcome = .held
            }
            // `admit` writes the row itself when the upstream is down (as an error).
            var audited = false
            if case .allow = decision.verdict, !s.upstreamRunning {} else { audited = audit(record) }
            switch decision.verdict {
            case .allow:
                return admit(&s, record: record, reservation: decision.reservation, rpcID: id, raw: raw, modern: modern,
                             audited: s.upstreamRunning ? audited : nil, key: key, recent: .new)
            case .deny, .rateLimited:
                emitCall(&s, record, recent: .new)
                if case .rateLimited = decision.verdict { emitCounters(&s, decision.charges, now: now) }
                return [.client(JSONRPC.toolRefusal(id: id, text: decision.message ?? "Denied by policy.",
                                                    decision: decision.verdict.kind, callID: record.id, rule: decision.rule,
                                                    modern: modern))]
            case .hold(let settings):
                guard audited else {
                    return [.client(refusalForAuditFailure(id: id, record: record, modern: modern))]
                }
                let held = Held(record: record, decision: decision, request: raw, rpcID: id, progressToken: progressToken,
                                modern: modern, settings: settings, heldAt: now, expiresAt: now + settings.timeout)
                s.held[record.id] = held
                s.heldByRequest[key] = record.id
                emitCall(&s, record, recent: .new)
                emit(&s, ControlEvent(at: now, type: .approvalPending, approval: held.pending))
                scheduleTimers(for: held)
                log.notice("call \(record.id) to \(tool) is held for approval (\(settings.onTimeout.rawValue) in \(DurationText.format(settings.timeout)))")
                return []
            }
        }
        perform(effects)
    }

    /// Records and forwards an allowed call. Must run under the lock. `audited`: whether the
    /// caller already wrote its audit row (nil: write it here). `key`: the id's key, if known.
    /// `recent`: whether the call is among the recent calls already (a held call is).
    func admit(_ s: inout State, record: CallRecord, reservation: Reservation?, rpcID: JSONValue, raw: [UInt8], modern: Bool,
               audited: Bool? = nil, key: String? = nil, recent: State.RecentSlot = .find) -> [Effect] {
        var record = record
        // Written only if it changes: the record's fields are shared with its journal entry by now.
        if record.outcome != .forwarded { record.outcome = .forwarded }
        if !s.upstreamRunning {
            if let reservation { try? counters.rollback(reservation) }
            record.outcome = .error
            record.reason = "Upstream unavailable: \(s.upstreamFailure ?? "not running")"
            _ = audit(record)
            emitCall(&s, record, recent: recent)
            return [.client(JSONRPC.error(id: rpcID, code: JSONRPC.internalError, message: record.reason!))]
        }
        // Fail closed: a call that cannot be audited is not forwarded.
        guard audited ?? audit(record) else {
            if let reservation { try? counters.rollback(reservation) }
            return [.client(refusalForAuditFailure(id: rpcID, record: record, modern: modern))]
        }
        let position = emitCall(&s, record, recent: recent)
        s.inFlight[key ?? JSONRPC.key(rpcID)] = InFlight(record: record, reservation: reservation, startedAt: monotonicSeconds(),
                                                         recent: position)
        if reservation != nil { emitCounters(&s, reservation!.charges, now: clock.now()) }
        return [.upstream(raw, failing: record.id)]
    }

    func refusalForAuditFailure(id: JSONValue, record: CallRecord, modern: Bool) -> [UInt8] {
        JSONRPC.toolRefusal(id: id, text: "Denied: the gateway could not write its audit log, so no call is forwarded.",
                            decision: "deny", callID: record.id, rule: "audit", modern: modern)
    }

    func emitCounters(_ s: inout State, _ charges: [CounterCharge], now: Double) {
        // Unheard, the event would only take a seq: skip reading the counters for it.
        if hub.subscriberCount == 0 {
            if !charges.isEmpty { _ = s.nextSeq() }
            return
        }
        let infos = charges.compactMap { c in
            (try? counters.usage(c.key, window: c.window, max: c.max, now: now)).map(CounterInfo.init)
        }
        if !infos.isEmpty { emit(&s, ControlEvent(at: now, type: .counter, counters: infos)) }
    }

    // MARK: - Lifecycle

    /// The client went away: held calls can no longer be answered, so they end as cancelled.
    public func clientClosed() {
        state.withLock { s in
            s.clientClosed = true
            for (_, h) in s.held {
                var r = h.record
                r.outcome = .cancelled
                r.reason = "The client disconnected while the call was held."
                _ = audit(r)
                emitCall(&s, r)
                emit(&s, ControlEvent(at: clock.now(), type: .approvalResolved,
                                      resolution: .init(id: r.id, outcome: "cancelled", by: nil, scope: nil, reason: r.reason)))
            }
            s.held.removeAll()
            s.heldByRequest.removeAll()
        }
    }
}
