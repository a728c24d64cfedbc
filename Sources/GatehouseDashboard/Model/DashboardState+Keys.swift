import GatehouseCore

/// Keys: looked up in the key map for where the operator is, then acted on. Dialogs take
/// every key while open; read-only refusals and unbound keys say why nothing happened.
extension DashboardState {
    mutating func handleKey(_ key: Key, now: Double) -> [DashboardCommand] {
        switch key {
        case .resize: return []
        case .mouse(let row, let col, let button):
            handleMouse(row: row, col: col, button: button, now: now)
            return []
        default: break
        }
        if modal != nil { return handleModalKey(key, now: now) }
        let context = keyContext
        switch options.keyMap.lookup(key, in: context, readOnly: options.readOnly) {
        case .action(let action):
            return perform(action, now: now)
        case .blockedByReadOnly(let action):
            say("read-only: \(Self.describe(action)) is switched off (the dashboard was started with --read-only)",
                .warning, at: now)
        case .unbound:
            if case .char(let c) = key, c != " " {
                say("\(c) does nothing here; ? lists the keys", .info, at: now)
            }
        }
        return []
    }

    /// Runs an action of a panel or the detail view.
    mutating func perform(_ action: Action, now: Double) -> [DashboardCommand] {
        switch action {
        case .help: modal = .help(context: keyContext, scroll: 0)
        case .quit: return [.quit]
        case .redraw: return [.redraw]
        case .back: back(now: now)
        case .filter: openFilter()
        case .nextPanel: cycleFocus(by: 1, now: now)
        case .previousPanel: cycleFocus(by: -1, now: now)
        case .showStream: show(.stream, now: now)
        case .showPending: show(.pending, now: now, sayIfEmpty: true)
        case .showTools: show(.tools, now: now)
        case .showCounters: show(.counters, now: now)
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -page)
        case .pageDown: move(by: page)
        case .top: move(by: Int.min / 2)
        case .bottom: move(by: Int.max / 2)
        case .open: openDetail(now: now)
        case .togglePause: togglePause(now: now)
        case .toggleFollow: toggleFollow(now: now)
        case .approve: return approveSelected(now: now)
        case .approveWithScope: chooseScope(now: now)
        case .deny: askDenyReason(now: now)
        case .approveAll: askAll(approve: true, now: now)
        case .denyAll: askAll(approve: false, now: now)
        case .killSwitch: startKillSwitch(now: now)
        case .overrideTool: chooseOverride(now: now)
        case .reloadPolicy: return reloadPolicy(now: now)
        case .confirm, .cancel, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .deleteBackward, .deleteForward,
             .deleteWord, .clearInput:
            break  // prompt and dialog actions; handled by the modal
        }
        return []
    }

    mutating func handleModalKey(_ key: Key, now: Double) -> [DashboardCommand] {
        guard let current = modal else { return [] }
        let action = options.keyMap.action(for: key, in: current.context, readOnly: false)
        switch current {
        case .help(let context, let scroll):
            let page = max(1, screen.detailRows)
            switch action {
            case .cancel?: modal = nil
            case .moveUp?: modal = .help(context: context, scroll: max(0, scroll - 1))
            case .moveDown?: modal = .help(context: context, scroll: min(screen.helpMaxScroll, scroll + 1))
            case .pageUp?: modal = .help(context: context, scroll: max(0, scroll - page))
            case .pageDown?: modal = .help(context: context, scroll: min(screen.helpMaxScroll, scroll + page))
            default: break
            }

        case .filter(let panel, var editor, let previous):
            switch editor.handle(key, in: .filterPrompt, keyMap: options.keyMap) {
            case .edited:
                modal = .filter(panel: panel, editor: editor, previous: previous)
                setFilter(editor.text, on: panel, now: now)
            case .submitted:
                modal = nil
            case .cancelled:
                modal = nil
                setFilter(previous, on: panel, now: now)
            case .ignored:
                break
            }

        case .denyReason(let target, var editor):
            switch editor.handle(key, in: .textPrompt, keyMap: options.keyMap) {
            case .edited, .ignored:
                modal = .denyReason(target: target, editor: editor)
            case .submitted(let text):
                modal = nil
                let reason = text.trimmingWhitespace()
                return [send(.deny(.init(id: target.key.id, reason: reason.isEmpty ? nil : reason, argsHash: target.argsHash)),
                             to: target.key.gateway, label: "deny \(target.label) on \(target.gatewayName)", now: now)]
            case .cancelled:
                modal = nil
                say("nothing was denied", .info, at: now)
            }

        case .scopeMenu(let target, var menu):
            switch menu.handle(key, keyMap: options.keyMap) {
            case .pending: modal = .scopeMenu(target: target, menu: menu)
            case .cancelled:
                modal = nil
                say("nothing was approved", .info, at: now)
            case .chosen(let choice):
                modal = nil
                return approve(target, scope: choice, now: now)
            }

        case .overrideMenu(let target, var menu):
            switch menu.handle(key, keyMap: options.keyMap) {
            case .pending: modal = .overrideMenu(target: target, menu: menu)
            case .cancelled:
                modal = nil
                say("no override was changed", .info, at: now)
            case .chosen(let choice):
                modal = nil
                return override(target, choice, now: now)
            }

        case .gatewayMenu(var menu):
            switch menu.handle(key, keyMap: options.keyMap) {
            case .pending: modal = .gatewayMenu(menu: menu)
            case .cancelled: modal = nil
            case .chosen(let id): askKillSwitch(id, now: now)
            }

        case .confirm(let question):
            switch action {
            case .confirm?:
                modal = nil
                return answerYes(question, now: now)
            case .cancel?:
                modal = nil
                say("nothing was changed", .info, at: now)
            default:
                break  // only y or n (or Esc) answer; a stray key does nothing
            }

        case .killSwitch(let id, let change, var confirmation):
            switch confirmation.handle(key, keyMap: options.keyMap) {
            case .pending:
                modal = .killSwitch(gateway: id, change: change, confirmation: confirmation)
            case .cancelled:
                modal = nil
                say("the kill switch was not changed", .info, at: now)
            case .confirmed:
                modal = nil
                let name = gatewayName(id)
                switch change {
                case .engage:
                    return [send(.kill(KillParams(reason: nil)), to: id,
                                 label: "engage the kill switch on \(name)", now: now)]
                case .release:
                    return [send(.release, to: id, label: "release the kill switch on \(name)", now: now)]
                }
            }
        }
        return []
    }

    /// Words for an action in messages ("approve", "the kill switch").
    static func describe(_ action: Action) -> String {
        switch action {
        case .approve: "approve"
        case .approveWithScope: "approve for a while"
        case .deny: "deny"
        case .approveAll: "approve all"
        case .denyAll: "deny all"
        case .killSwitch: "the kill switch"
        case .overrideTool: "tool override"
        case .reloadPolicy: "policy reload"
        default: action.rawValue
        }
    }
}
