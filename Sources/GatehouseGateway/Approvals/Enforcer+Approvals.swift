import Foundation
import GatehouseCore

/// Held calls: operators approve or deny them, the client may cancel them, and time may run out.
/// Whatever happens first wins; everything after it finds the call already resolved.
extension Enforcer {
    // MARK: - Operator decisions

    public func approve(_ p: ApproveParams, by approver: String) throws(CommandError) -> CallRecord {
        let now = clock.now()
        let result: Result<(CallRecord, [Effect]), CommandError> = state.withLock { s in
            let h: Held
            switch findHeld(&s, p.id) {
            case .success(let found): h = found
            case .failure(let e): return .failure(e)
            }
            if let hash = p.argsHash, hash != h.record.argsHash {
                return .failure(.mismatch("call \(h.record.id) no longer has the arguments you approved; look again"))
            }
            var effects: [Effect] = []
            var grant: ApprovalGrant?
            switch p.scope {
            case .once:
                break
            case .duration:
                guard let d = p.durationSeconds, d > 0, d <= 7 * 86400 else {
                    return .failure(.invalid("approving for a duration needs a duration between 1 second and 7 days"))
                }
                grant = ApprovalGrant(id: Self.newCallID(), tool: h.record.tool, expiresAt: now + d, grantedBy: approver)
            case .session:
                grant = ApprovalGrant(id: Self.newCallID(), tool: h.record.tool, session: h.record.session, grantedBy: approver)
            case .always:
                let o = ToolOverride(action: .allow, setBy: approver, setAt: now)
                do { try store?.setOverride(gateway: gatewayName, tool: h.record.tool, o) } catch {
                    return .failure(.storage("could not save the override: \(error)"))
                }
                s.runtime.overrides[h.record.tool] = o
                emit(&s, ControlEvent(at: now, type: .tools, tools: toolInfos(s)))
            }
            if let grant {
                do { try store?.addGrant(gateway: gatewayName, grant, now: now) } catch {
                    return .failure(.storage("could not save the approval: \(error)"))
                }
                s.runtime.grants.append(grant)
            }
            let scopeText = p.scope == .duration ? "for \(DurationText.format(p.durationSeconds ?? 0))" : p.scope.rawValue
            effects += releaseHeld(&s, h, approver: approver, scope: scopeText)
            if p.scope != .once { effects += reevaluateHeld(&s, by: approver) }
            let final = s.recentCall(h.record.id) ?? h.record
            return .success((final, effects))
        }
        switch result {
        case .success(let (record, effects)):
            perform(effects)
            return record
        case .failure(let e):
            throw e
        }
    }

    public func deny(_ p: DenyParams, by approver: String) throws(CommandError) -> CallRecord {
        let result: Result<(CallRecord, [Effect]), CommandError> = state.withLock { s in
            switch findHeld(&s, p.id) {
            case .failure(let e): return .failure(e)
            case .success(let h):
                if let hash = p.argsHash, hash != h.record.argsHash {
                    return .failure(.mismatch("call \(h.record.id) no longer has the arguments you saw; look again"))
                }
                var reason = "Denied by operator \(approver)"
                if let r = p.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !r.isEmpty { reason += ": \(r)" }
                let effects = resolveHeld(&s, h, outcome: .denied, by: approver, reason: reason + ".", scope: nil)
                return .success((s.recentCall(h.record.id) ?? h.record, effects))
            }
        }
        switch result {
        case .success(let (record, effects)):
            perform(effects)
            return record
        case .failure(let e):
            throw e
        }
    }

    /// Finds a held call by id or unique id prefix; explains a call that is no longer held.
    private func findHeld(_ s: inout State, _ id: String) -> Result<Held, CommandError> {
        if let h = s.held[id] { return .success(h) }
        let matches = id.count >= 4 ? s.held.values.filter { $0.record.id.hasPrefix(id) } : []
        if matches.count == 1 { return .success(matches[0]) }
        if matches.count > 1 { return .failure(.invalid("\"\(id)\" matches \(matches.count) held calls; give more of the id")) }
        if let done = s.recentCalls.last(where: { $0.id == id || (id.count >= 4 && $0.id.hasPrefix(id)) }), done.outcome != .held {
            let who = done.approver.map { " by \($0)" } ?? ""
            let what: String
            switch done.outcome {
            case .timedOut: what = "timed out"
            case .cancelled: what = "was cancelled by the client"
            case .denied: what = done.decision == "hold" ? "was already denied\(who)" : "was denied by policy"
            default: what = done.decision == "hold" ? "was already approved\(who)" : "was never held (\(done.decision))"
            }
            return .failure(.alreadyResolved("call \(done.id) \(what)"))
        }
        return .failure(.notFound("no held call with id \"\(id)\""))
    }

    // MARK: - Resolution

    /// Lets a held call go: its counters are taken now, and it is forwarded unless they are full.
    func releaseHeld(_ s: inout State, _ h: Held, approver: String, scope: String) -> [Effect] {
        removeHeld(&s, h)
        let now = clock.now()
        if s.runtime.killSwitch != nil {
            return resolveHeld(&s, h, outcome: .denied, by: approver,
                               reason: "Kill switch engaged: the approval of \(approver) was not applied.", scope: nil, removed: true)
        }
        let d = s.engine.admit(h.decision, approvedBy: approver, now: now)
        var r = h.record
        r.approver = approver
        r.approvalScope = scope
        r.trace = d.trace.map(\.description)
        emit(&s, ControlEvent(at: now, type: .approvalResolved,
                              resolution: .init(id: r.id, outcome: "approved", by: approver, scope: scope, reason: nil)))
        switch d.verdict {
        case .allow:
            return admit(&s, record: r, reservation: d.reservation, rpcID: h.rpcID, raw: h.request, modern: h.modern)
        case .rateLimited, .deny, .hold:
            r.outcome = d.verdict.kind == "rate_limited" ? .rateLimited : .denied
            r.reason = d.message ?? "Denied."
            _ = audit(r)
            emitCall(&s, r)
            return [.client(JSONRPC.toolRefusal(id: h.rpcID, text: r.reason!, decision: d.verdict.kind, callID: r.id, rule: d.rule,
                                                modern: h.modern))]
        }
    }

    /// Ends a held call without forwarding it. A cancelled call gets no answer: the client asked for none.
    func resolveHeld(_ s: inout State, _ h: Held, outcome: CallRecord.Outcome, by: String?, reason: String, scope: String?,
                     removed: Bool = false) -> [Effect] {
        if !removed { removeHeld(&s, h) }
        var r = h.record
        r.outcome = outcome
        r.reason = reason
        r.approver = by
        r.approvalScope = scope
        _ = audit(r)
        emitCall(&s, r)
        let word: String
        switch outcome {
        case .timedOut: word = "timed_out"
        case .cancelled: word = "cancelled"
        case .error: word = "error"
        default: word = "denied"
        }
        emit(&s, ControlEvent(at: clock.now(), type: .approvalResolved,
                              resolution: .init(id: r.id, outcome: word, by: by, scope: scope, reason: reason)))
        switch outcome {
        case .cancelled:
            return []
        case .error:
            return [.client(JSONRPC.error(id: h.rpcID, code: JSONRPC.internalError, message: reason))]
        default:
            return [.client(JSONRPC.toolRefusal(id: h.rpcID, text: reason, decision: word == "timed_out" ? "timeout" : "deny",
                                                callID: r.id, rule: by == nil ? "approval" : "operator", modern: h.modern))]
        }
    }

    private func removeHeld(_ s: inout State, _ h: Held) {
        s.held.removeValue(forKey: h.record.id)
        s.heldByRequest.removeValue(forKey: JSONRPC.key(h.rpcID))
    }

    /// After the rules change, held calls are decided again: some may now pass or be refused.
    func reevaluateHeld(_ s: inout State, by: String) -> [Effect] {
        var effects: [Effect] = []
        let now = clock.now()
        for h in s.held.values.sorted(by: { $0.heldAt < $1.heldAt }) {
            let call = CallContext(tool: h.record.tool, arguments: h.record.arguments, grant: h.record.grant, session: h.record.session)
            let d = s.engine.decide(call, state: s.runtime, now: now)
            switch d.verdict {
            case .hold:
                continue
            case .allow:
                removeHeld(&s, h)
                var r = h.record
                r.approver = by
                r.approvalScope = "rule change"
                r.trace = d.trace.map(\.description)
                emit(&s, ControlEvent(at: now, type: .approvalResolved,
                                      resolution: .init(id: r.id, outcome: "approved", by: by, scope: "rule change", reason: nil)))
                effects += admit(&s, record: r, reservation: d.reservation, rpcID: h.rpcID, raw: h.request, modern: h.modern)
            case .deny, .rateLimited:
                effects += resolveHeld(&s, h, outcome: d.verdict.kind == "deny" ? .denied : .rateLimited, by: by,
                                       reason: d.message ?? "Denied.", scope: nil)
            }
        }
        return effects
    }

    /// The client's `notifications/cancelled` for a held call takes it out of the queue.
    func cancelHeld(requestID: JSONValue, reason: String?) -> Bool {
        let effects: [Effect]? = state.withLock { s in
            guard let callID = s.heldByRequest[JSONRPC.key(requestID)], let h = s.held[callID] else { return nil }
            let why = "Cancelled by the client" + (reason.map { ": \($0)" } ?? "") + "."
            return resolveHeld(&s, h, outcome: .cancelled, by: nil, reason: why, scope: nil)
        }
        guard let effects else { return false }
        perform(effects)
        return true
    }

    // MARK: - Timers

    func scheduleTimers(for h: Held) {
        let id = h.record.id
        timers.asyncAfter(deadline: .now() + h.settings.timeout) { [weak self] in self?.expire(id) }
        if h.progressToken != nil, config.progressInterval > 0 {
            timers.asyncAfter(deadline: .now() + config.progressInterval) { [weak self] in self?.sendProgress(id) }
        }
    }

    func expire(_ id: String) {
        let effects: [Effect] = state.withLock { s in
            guard let h = s.held[id] else { return [] }
            let after = DurationText.format(h.settings.timeout)
            switch h.settings.onTimeout {
            case .allow:
                log.notice("call \(id) was not answered within \(after); allowed (on_timeout: allow)")
                return releaseHeld(&s, h, approver: "timeout", scope: "on_timeout: allow")
            case .deny:
                log.notice("call \(id) was not answered within \(after); denied (on_timeout: deny)")
                return resolveHeld(&s, h, outcome: .timedOut, by: nil,
                                   reason: "No operator approved this call within \(after), so it was denied.", scope: nil)
            }
        }
        perform(effects)
    }

    /// Keeps a waiting client from timing out while a person decides.
    func sendProgress(_ id: String) {
        // Checked and written under `clientOrder`: an answer resolved meanwhile waits for this
        // write, so no progress notification ever follows the call's answer.
        let sent: Bool = clientOrder.withLock { _ in
            let message: [UInt8]? = state.withLock { s in
                guard var h = s.held[id], let token = h.progressToken else { return nil }
                h.progressSent += 1
                s.held[id] = h
                let left = max(0, Int((h.expiresAt - clock.now()).rounded()))
                return JSONRPC.notification("notifications/progress", [
                    "progressToken": token, "progress": .number(h.progressSent),
                    "message": .string("Waiting for operator approval (\(h.settings.onTimeout.rawValue) in \(left)s)"),
                ])
            }
            guard let message else { return false }
            outputs.toClient(message)
            return true
        }
        guard sent else { return }
        timers.asyncAfter(deadline: .now() + config.progressInterval) { [weak self] in self?.sendProgress(id) }
    }
}
