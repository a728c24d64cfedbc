import Foundation
import GatehouseCore

/// Kill switch, tool overrides, policy reloads, and the views operators read.
/// Every change is saved before it is acknowledged, so a restart never re-opens what was closed.
extension Enforcer {
    // MARK: - Kill switch

    public func engageKillSwitch(by: String, reason: String?) throws(CommandError) -> KillSwitchInfo {
        let now = clock.now()
        let result: Result<(KillSwitchInfo, [Effect]), CommandError> = state.withLock { s in
            if let k = s.runtime.killSwitch {
                return .success((KillSwitchInfo(engaged: true, by: k.engagedBy, at: k.engagedAt, reason: k.reason), []))
            }
            let k = KillSwitch(engagedBy: by, engagedAt: now, reason: reason?.isEmpty == true ? nil : reason)
            do { try store?.setKillSwitch(gateway: gatewayName, k) } catch {
                return .failure(.storage("could not save the kill switch: \(error)"))
            }
            s.runtime.killSwitch = k
            var effects: [Effect] = []
            for h in s.held.values.sorted(by: { $0.heldAt < $1.heldAt }) {
                effects += resolveHeld(&s, h, outcome: .denied, by: by,
                                       reason: "Kill switch engaged by \(by): every tool call is blocked.", scope: nil)
            }
            let info = KillSwitchInfo(engaged: true, by: by, at: now, reason: k.reason)
            emit(&s, ControlEvent(at: now, type: .killSwitch, killSwitch: info))
            emit(&s, ControlEvent(at: now, type: .tools, tools: toolInfos(s)))
            return .success((info, effects))
        }
        switch result {
        case .success(let (info, effects)):
            log.warning("kill switch engaged by \(by)\(reason.map { ": \($0)" } ?? "")")
            perform(effects)
            return info
        case .failure(let e): throw e
        }
    }

    public func releaseKillSwitch(by: String) throws(CommandError) -> KillSwitchInfo {
        let now = clock.now()
        let result: Result<KillSwitchInfo, CommandError> = state.withLock { s in
            guard s.runtime.killSwitch != nil else { return .success(KillSwitchInfo(engaged: false)) }
            do { try store?.setKillSwitch(gateway: gatewayName, nil) } catch {
                return .failure(.storage("could not save the kill switch: \(error)"))
            }
            s.runtime.killSwitch = nil
            let info = KillSwitchInfo(engaged: false, by: by, at: now)
            emit(&s, ControlEvent(at: now, type: .killSwitch, killSwitch: info))
            emit(&s, ControlEvent(at: now, type: .tools, tools: toolInfos(s)))
            return .success(info)
        }
        switch result {
        case .success(let info):
            log.notice("kill switch released by \(by)")
            return info
        case .failure(let e): throw e
        }
    }

    // MARK: - Overrides

    /// Sets (or with nil, clears) a tool's runtime override.
    public func setOverride(tool: String, action: PolicyAction?, by: String) throws(CommandError) -> ToolInfo {
        guard !tool.isEmpty else { throw .invalid("a tool name is required") }
        let now = clock.now()
        let result: Result<(ToolInfo, [Effect], Bool), CommandError> = state.withLock { s in
            let hiddenBefore = visibleSet(s)
            let o = action.map { ToolOverride(action: $0, setBy: by, setAt: now) }
            do { try store?.setOverride(gateway: gatewayName, tool: tool, o) } catch {
                return .failure(.storage("could not save the override: \(error)"))
            }
            s.runtime.overrides[tool] = o
            let infos = toolInfos(s)
            emit(&s, ControlEvent(at: now, type: .tools, tools: infos))
            let effects = reevaluateHeld(&s, by: by)
            let info = infos.first { $0.name == tool } ?? toolInfo(s, name: tool, upstream: nil)
            return .success((info, effects, hiddenBefore != visibleSet(s)))
        }
        switch result {
        case .success(let (info, effects, visibilityChanged)):
            log.notice("tool \(tool): override \(action?.rawValue ?? "cleared") by \(by)")
            perform(effects)
            if visibilityChanged { notifyToolListChanged() }
            return info
        case .failure(let e): throw e
        }
    }

    func visibleSet(_ s: State) -> Set<String> {
        Set(s.tools.map(\.name).filter { !s.engine.status(of: $0, state: s.runtime).hidden })
    }

    /// Tells the client the visible tools changed: a pre-2026 client at any time, a 2026-07-28
    /// client only on each subscription that asked for it (it must not get unrequested notifications).
    func notifyToolListChanged() {
        let (handshake, subscriptions) = state.withLock { ($0.handshakeClient, Array($0.toolListSubscriptions.values)) }
        if handshake {
            outputs.toClient(JSONRPC.notification("notifications/tools/list_changed", .object(JSONObject())))
        }
        for id in subscriptions {
            outputs.toClient(JSONRPC.notification("notifications/tools/list_changed",
                                                  ["_meta": .object(JSONObject([(JSONRPC.subscriptionIDKey, id)]))]))
        }
    }

    // MARK: - Policy reload

    /// Puts a new policy in force; held calls are decided again under it.
    public func reload(_ loaded: LoadedPolicy, by: String) {
        let now = clock.now()
        let (effects, changed): ([Effect], Bool) = state.withLock { s in
            let before = visibleSet(s)
            s.engine = PolicyEngine(policy: loaded.policy, counters: counters)
            s.policy = loaded.summary
            emit(&s, ControlEvent(at: now, type: .policyReloaded, policy: loaded.summary,
                                  errors: loaded.warnings.isEmpty ? nil : loaded.warnings.map(\.description)))
            emit(&s, ControlEvent(at: now, type: .tools, tools: toolInfos(s)))
            return (reevaluateHeld(&s, by: by), before != visibleSet(s))
        }
        log.notice("policy reloaded from \(loaded.summary.file) (sha256 \(loaded.summary.sha256.prefix(12)))")
        perform(effects)
        if changed { notifyToolListChanged() }
    }

    /// A new policy file failed validation: the old one stays in force and operators are told why.
    public func rejectReload(_ failure: LoadedPolicy.Failure) {
        log.error("policy reload rejected; the previous policy stays in force:\n\(failure.description)")
        state.withLock { s in
            emit(&s, ControlEvent(at: clock.now(), type: .policyRejected, errors: failure.messages))
        }
    }

    public var currentPolicy: PolicySummary { state.withLock { $0.policy } }

    // MARK: - Views

    func toolInfos(_ s: State) -> [ToolInfo] {
        var names = s.tools.map(\.name)
        // Tools operators overrode before the upstream listed them still need to be seen.
        for t in s.runtime.overrides.keys.sorted() where !names.contains(t) { names.append(t) }
        let byName = Dictionary(s.tools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return names.map { toolInfo(s, name: $0, upstream: byName[$0]) }
    }

    func toolInfo(_ s: State, name: String, upstream: UpstreamTool?) -> ToolInfo {
        let st = s.engine.status(of: name, state: s.runtime)
        return ToolInfo(
            name: name, description: upstream?.description,
            risk: upstream?.risk ?? RiskClass.classify(name: name),
            readOnlyHint: upstream?.annotations?["readOnlyHint"]?.boolValue,
            destructiveHint: upstream?.annotations?["destructiveHint"]?.boolValue,
            state: s.runtime.killSwitch != nil ? "denied" : st.summary, action: st.action.rawValue, hidden: st.hidden,
            override: st.overridden?.action.rawValue, overrideBy: st.overridden?.setBy, rule: st.rule,
            limits: st.limits.map { "\($0.counter): \($0.max)/\(Limit.describe(window: $0.window)) (\($0.scope.rawValue))" })
    }

    func counterInfos(_ s: State, now: Double) -> [CounterInfo] {
        let limits = s.engine.policy.counters
        let byName = Dictionary(limits.map { ($0.counter, $0) }, uniquingKeysWith: { a, _ in a })
        var keys = (try? counters.activeKeys(now: now)) ?? []
        // Every declared counter is shown, even before its first call, for this gateway's grant and session.
        for l in limits {
            let k = CounterKey(limit: l, call: CallContext(tool: "", grant: config.gateway.grant, session: config.session))
            if !keys.contains(k) { keys.append(k) }
        }
        return keys.compactMap { k in
            guard let l = byName[k.counter] else { return nil }
            return (try? counters.usage(k, window: l.window, max: l.max, now: now)).map(CounterInfo.init)
        }
    }

    public func snapshot() -> Snapshot {
        let now = clock.now()
        return state.withLock { makeSnapshot($0, now: now) }
    }

    func makeSnapshot(_ s: State, now: Double) -> Snapshot {
        let k = s.runtime.killSwitch
        return Snapshot(
            gateway: config.gateway, policy: s.policy,
            killSwitch: KillSwitchInfo(engaged: k != nil, by: k?.engagedBy, at: k?.engagedAt, reason: k?.reason),
            tools: toolInfos(s), counters: counterInfos(s, now: now),
            pending: s.held.values.map(\.pending).sorted { $0.heldAt < $1.heldAt },
            recent: s.recentCalls, seq: s.seq, upstreamRunning: s.upstreamRunning)
    }

    public func pendingApprovals() -> [PendingApproval] {
        state.withLock { $0.held.values.map(\.pending).sorted { $0.heldAt < $1.heldAt } }
    }

    public func recentCalls(limit: Int) -> [CallRecord] {
        state.withLock { Array($0.recentCalls.suffix(max(0, limit))) }
    }

    /// Subscribes under the lock, so no event falls between the snapshot and the stream;
    /// `answer` turns the snapshot into the first line the subscriber is sent.
    public func subscribe(send: @escaping EventHub.Send, answer: (Snapshot) -> [UInt8]) -> UInt64 {
        let now = clock.now()
        return state.withLock { s in
            let snap = makeSnapshot(s, now: now)
            return hub.subscribe(initial: answer(snap), send: send, snapshot: { [weak self] in self?.snapshot() ?? snap })
        }
    }
}
