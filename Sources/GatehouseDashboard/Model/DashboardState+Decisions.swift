import GatehouseCore

/// Decisions that cost money: approve, deny, approve/deny all, kill switch, overrides,
/// reload. Each acts on the call or gateway the operator has selected, by id and argument
/// hash captured when the key was pressed, and the riskier ones ask first.
extension DashboardState {
    /// The held call a decision key acts on, or why there is none (said in the status line).
    mutating func decisionTarget(now: Double) -> DecisionTarget? {
        let key: CallKey?
        if let d = detail {
            guard case .call(let k) = d.target else {
                say("select a held call first (the stream or the pending panel)", .info, at: now)
                return nil
            }
            key = k
        } else {
            switch focus {
            case .pending:
                if let ghost = pendingGhost, pendingCursor.key == ghost.item.key {
                    say("\(ghost.item.entry.record.tool) \(ghost.item.key.id.prefix(6)) is no longer waiting: \(ghost.note)",
                        .warning, at: now)
                    return nil
                }
                if pendingCursor.movedBySelf(within: now), let k = pendingCursor.key {
                    pendingCursor.autoSelectedAt = nil
                    say("\(describe(k)) only just appeared under the cursor; look, then press again", .warning, at: now)
                    return nil
                }
                key = pendingCursor.key
            case .stream:
                if streamCursor.movedBySelf(within: now), let k = streamCursor.key {
                    streamCursor.autoSelectedAt = nil
                    say("the cursor just moved to \(describe(k)); look, then press again", .warning, at: now)
                    return nil
                }
                key = streamCursor.key
            case .tools, .counters:
                say("select a held call first (the stream or the pending panel)", .info, at: now)
                return nil
            }
        }
        guard let key else {
            say("no call selected", .info, at: now)
            return nil
        }
        let name = gatewayName(key.gateway)
        if let item = pending.item(key) {
            guard gateways[key.gateway]?.connection.isConnected == true else {
                say("\(name) is disconnected; nothing can be decided there until it is back", .error, at: now)
                return nil
            }
            return DecisionTarget(key: key, argsHash: item.argsHash, tool: item.approval.call.tool, gatewayName: name,
                                  preview: item.entry.argsPreview)
        }
        guard let entry = call(key) else {
            say("that call is no longer known", .warning, at: now)
            return nil
        }
        if entry.status == .held {
            // Held, but its approval.pending has not arrived yet: the record has all we need.
            return DecisionTarget(key: key, argsHash: entry.record.argsHash, tool: entry.record.tool, gatewayName: name,
                                  preview: entry.argsPreview)
        }
        let note = resolutions.note(for: key) ?? ResolutionBook.describe(entry.record)
        say("\(describe(key)) is not waiting for approval: \(note)", .info, at: now)
        return nil
    }

    func describe(_ key: CallKey) -> String {
        let tool = call(key)?.record.tool ?? "call"
        return "\(tool) \(key.id.prefix(6))"
    }

    mutating func approveSelected(now: Double) -> [DashboardCommand] {
        guard let t = decisionTarget(now: now) else { return [] }
        return approve(t, scope: .once, now: now)
    }

    mutating func chooseScope(now: Double) {
        guard let t = decisionTarget(now: now) else { return }
        let menu = ChoiceMenu<ScopeChoice>(
            title: "Approve \(t.label)",
            items: [
                .init(.once, "this call only", shortcut: "o"),
                .init(.duration(seconds: 600, label: "10 minutes"), "\(t.tool) for 10 minutes", shortcut: "m"),
                .init(.duration(seconds: 3600, label: "1 hour"), "\(t.tool) for 1 hour", shortcut: "h"),
                .init(.session, "\(t.tool) for this session", shortcut: "s"),
                .init(.always, "\(t.tool) always (asks again)", shortcut: "a"),
            ], keyMap: options.keyMap)
        modal = .scopeMenu(target: t, menu: menu)
    }

    mutating func approve(_ t: DecisionTarget, scope: ScopeChoice, now: Double) -> [DashboardCommand] {
        var p = ApproveParams(id: t.key.id, scope: .once, argsHash: t.argsHash)
        var how = ""
        switch scope {
        case .once: break
        case .duration(let seconds, let label):
            p.scope = .duration
            p.durationSeconds = seconds
            how = " and \(t.tool) for \(label)"
        case .session:
            p.scope = .session
            how = " and \(t.tool) for this session"
        case .always:
            modal = .confirm(.approveAlways(t))
            return []
        }
        return [send(.approve(p), to: t.key.gateway, label: "approve \(t.label)\(how) on \(t.gatewayName)", now: now)]
    }

    mutating func askDenyReason(now: Double) {
        guard let t = decisionTarget(now: now) else { return }
        modal = .denyReason(target: t, editor: LineEditor(maxLength: 200))
    }

    /// Approve or deny every held call shown (connected gateways only), after a y/n. The
    /// list is fixed when asked: a call arriving while the question is open is not included.
    mutating func askAll(approve: Bool, now: Double) {
        let targets: [DecisionTarget] = pendingRows.compactMap { row in
            guard case .live(let item) = row, gateways[item.key.gateway]?.connection.isConnected == true else { return nil }
            return DecisionTarget(key: item.key, argsHash: item.argsHash, tool: item.approval.call.tool,
                                  gatewayName: gatewayName(item.key.gateway), preview: item.entry.argsPreview)
        }
        guard !targets.isEmpty else {
            return say("no calls are waiting for approval", .info, at: now)
        }
        modal = .confirm(approve ? .approveAll(targets) : .denyAll(targets))
    }

    mutating func answerYes(_ q: Question, now: Double) -> [DashboardCommand] {
        switch q {
        case .approveAll(let targets):
            let batch = startBatch("approve all", count: targets.count)
            let commands = targets.map {
                send(.approve(ApproveParams(id: $0.key.id, scope: .once, argsHash: $0.argsHash)), to: $0.key.gateway,
                     label: "approve \($0.label) on \($0.gatewayName)", batch: batch, now: now)
            }
            say("approving \(targets.count) held calls…", .info, at: now)
            return commands
        case .denyAll(let targets):
            let batch = startBatch("deny all", count: targets.count)
            let commands = targets.map {
                send(.deny(DenyParams(id: $0.key.id, reason: nil, argsHash: $0.argsHash)), to: $0.key.gateway,
                     label: "deny \($0.label) on \($0.gatewayName)", batch: batch, now: now)
            }
            say("denying \(targets.count) held calls…", .info, at: now)
            return commands
        case .approveAlways(let t):
            return [send(.approve(ApproveParams(id: t.key.id, scope: .always, argsHash: t.argsHash)), to: t.key.gateway,
                         label: "approve \(t.label) and always allow \(t.tool) on \(t.gatewayName)", now: now)]
        case .overrideAllow(let t):
            return [send(.toolOverride(ToolOverrideParams(tool: t.key.name, action: OverrideChoice.allow.wire)),
                         to: t.key.gateway, label: "override \(t.key.name) on \(t.gatewayName) to allow", now: now)]
        }
    }

    // MARK: Gateways: kill switch and reload

    /// The gateway of whatever is selected where the operator is.
    public var contextGateway: GatewayID? {
        if let d = detail {
            switch d.target {
            case .call(let k): return k.gateway
            case .tool(let k): return k.gateway
            }
        }
        let selected: GatewayID? = switch focus {
        case .stream: streamCursor.key?.gateway
        case .pending: pendingCursor.key?.gateway
        case .tools: toolsCursor.key?.gateway
        case .counters: countersCursor.key?.gateway
        }
        return selected ?? (gatewayOrder.count == 1 ? gatewayOrder[0] : nil)
    }

    mutating func startKillSwitch(now: Double) {
        guard !gatewayOrder.isEmpty else { return say("no gateway is attached", .info, at: now) }
        guard gatewayOrder.count > 1 else { return askKillSwitch(gatewayOrder[0], now: now) }
        // Several gateways: always say which one, never guess.
        let items = gatewayOrder.enumerated().map { i, id -> ChoiceMenu<GatewayID>.Item in
            let g = gateways[id]
            let state = g?.killSwitch.engaged == true ? "ENGAGED — release" : "off — engage"
            return .init(id, "\(gatewayName(id)) (\(state))", shortcut: i < 9 ? Character(String(i + 1)) : nil)
        }
        let selected = contextGateway.flatMap { gatewayOrder.firstIndex(of: $0) } ?? 0
        modal = .gatewayMenu(menu: ChoiceMenu(title: "Kill switch: which gateway?", items: items, selected: selected,
                                              keyMap: options.keyMap))
    }

    mutating func askKillSwitch(_ id: GatewayID, now: Double) {
        guard let g = gateways[id], g.connection.isConnected else {
            modal = nil
            return say("\(gatewayName(id)) is disconnected; its kill switch cannot be changed from here now", .error, at: now)
        }
        modal = .killSwitch(gateway: id, change: g.killSwitch.engaged ? .release : .engage,
                            confirmation: TypedConfirmation(phrase: g.name))
    }

    mutating func reloadPolicy(now: Double) -> [DashboardCommand] {
        guard let id = contextGateway else {
            say("select a row of the gateway whose policy to reload", .info, at: now)
            return []
        }
        guard gateways[id]?.connection.isConnected == true else {
            say("\(gatewayName(id)) is disconnected", .error, at: now)
            return []
        }
        return [send(.reload, to: id, label: "reload the policy of \(gatewayName(id))", now: now)]
    }

    // MARK: Tool overrides

    mutating func chooseOverride(now: Double) {
        let key: ToolKey?
        if let d = detail {
            switch d.target {
            case .tool(let k): key = k
            case .call: key = detailCall.map { ToolKey(gateway: $0.key.gateway, name: $0.record.tool) }
            }
        } else {
            switch focus {
            case .stream: key = streamCursor.key.flatMap { k in call(k).map { ToolKey(gateway: k.gateway, name: $0.record.tool) } }
            case .tools: key = toolsCursor.key
            case .pending: key = pendingCursor.key.flatMap { k in call(k).map { ToolKey(gateway: k.gateway, name: $0.record.tool) } }
            case .counters: key = nil
            }
        }
        guard let key else { return say("select a tool or a call first", .info, at: now) }
        guard gateways[key.gateway]?.connection.isConnected == true else {
            return say("\(gatewayName(key.gateway)) is disconnected", .error, at: now)
        }
        let info = gateways[key.gateway]?.tools.first { $0.name == key.name }
        let target = ToolTarget(key: key, gatewayName: gatewayName(key.gateway), risk: info?.risk)
        let current = info?.override.map { " (now: override \($0))" } ?? ""
        let menu = ChoiceMenu<OverrideChoice>(
            title: "Override \(key.name)\(current)",
            items: [
                .init(.deny, "deny every call", shortcut: "d"),
                .init(.requireApproval, "require approval", shortcut: "r"),
                .init(.allow, "allow without asking", shortcut: "a"),
                .init(.clear, "clear: back to the policy", shortcut: "c"),
            ], keyMap: options.keyMap)
        modal = .overrideMenu(target: target, menu: menu)
    }

    mutating func override(_ t: ToolTarget, _ choice: OverrideChoice, now: Double) -> [DashboardCommand] {
        if choice == .allow, let risk = t.risk, risk >= .destructive {
            modal = .confirm(.overrideAllow(t))
            return []
        }
        let what = choice == .clear ? "clear the override of \(t.key.name)" : "override \(t.key.name) to \(choice.rawValue.replacingUnderscores())"
        return [send(.toolOverride(ToolOverrideParams(tool: t.key.name, action: choice.wire)), to: t.key.gateway,
                     label: "\(what) on \(t.gatewayName)", now: now)]
    }

    // MARK: Sending and answers

    mutating func send(_ request: ControlRequest, to gateway: GatewayID, label: String, batch: Int? = nil,
                       now: Double) -> DashboardCommand {
        let token = nextToken
        nextToken += 1
        inFlight[token] = InFlightCommand(gateway: gateway, request: request, label: label, batch: batch)
        if batch == nil { say(label + "…", .info, at: now) }
        return .send(token: token, gateway: gateway, request: request)
    }

    mutating func startBatch(_ label: String, count: Int) -> Int {
        let id = nextToken
        nextToken += 1
        batches[id] = CommandBatch(label: label, total: count)
        return id
    }

    /// Counts one answer of a batch; says the summary once all are in.
    mutating func settle(_ cmd: InFlightCommand, refusal: String?, now: Double) -> Bool {
        guard let b = cmd.batch, var batch = batches[b] else { return false }
        if let refusal { batch.refused.append(refusal) } else { batch.succeeded += 1 }
        batches[b] = batch
        if batch.isComplete {
            batches[b] = nil
            say(batch.summary, batch.refused.isEmpty ? .success : .warning, at: now)
        }
        return true
    }

    mutating func commandSucceeded(_ token: Int, _ reply: CommandReply, now: Double) {
        guard let cmd = inFlight.removeValue(forKey: token) else { return }
        let name = gatewayName(cmd.gateway)
        switch reply {
        case .call(let r):
            record(r, from: cmd.gateway, now: now, arrival: false)
            if !settle(cmd, refusal: nil, now: now) {
                say("\(cmd.label): done, \(ResolutionBook.describe(r))", .success, at: now)
            }
        case .killSwitch(let k):
            gateways[cmd.gateway]?.killSwitch = k
            say(k.engaged ? "KILL SWITCH ENGAGED on \(name): every call is denied until released" : "kill switch released on \(name)",
                k.engaged ? .warning : .success, at: now)
        case .tool(let t):
            if let i = gateways[cmd.gateway]?.tools.firstIndex(where: { $0.name == t.name }) {
                gateways[cmd.gateway]?.tools[i] = t
            }
            say("\(t.name) on \(name): now \(t.state)" + (t.override.map { " (override \($0.replacingUnderscores()))" } ?? " (policy)"),
                .success, at: now)
        case .reloaded(let p, let warnings):
            gateways[cmd.gateway]?.policy = p
            gateways[cmd.gateway]?.policyRejection = nil
            say("\(name): policy reloaded (\(p.sha256.prefix(8)))" + (warnings.first.map { "; warning: \($0)" } ?? ""),
                warnings.isEmpty ? .success : .warning, at: now)
        }
    }

    mutating func commandFailed(_ token: Int, _ message: String, now: Double) {
        guard let cmd = inFlight.removeValue(forKey: token) else { return }
        if settle(cmd, refusal: message, now: now) { return }
        say("\(cmd.label): refused by \(gatewayName(cmd.gateway)): \(message)", .error, at: now)
    }
}
