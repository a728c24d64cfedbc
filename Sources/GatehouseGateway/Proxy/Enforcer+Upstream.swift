import Foundation
import GatehouseCore

/// Messages from the upstream server: answers to decided calls finish them (audit first, then
/// the client); `tools/list` answers lose their hidden tools; everything else passes through.
extension Enforcer {
    public func handleUpstreamLine(_ bytes: [UInt8]) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        let message: JSONValue
        do {
            message = try JSONParser.parse(bytes)
        } catch {
            // stdout must carry only MCP: garbage from the upstream goes to the log, not the client.
            let preview = String(decoding: bytes.prefix(120), as: UTF8.self)
            log.warning("upstream wrote a line that is not JSON-RPC (\(error.message)); dropped: \(preview)")
            return
        }
        guard case .object(let o) = message else {
            log.warning("upstream wrote a JSON value that is not a JSON-RPC message; dropped")
            return
        }
        guard o["method"] == nil, let id = o["id"], o["result"] != nil || o["error"] != nil else {
            // A server ending a subscription stream cancels its listen request.
            if o["method"]?.stringValue == "notifications/cancelled", let rid = o["params"]?["requestId"] {
                state.withLock { _ = $0.toolListSubscriptions.removeValue(forKey: JSONRPC.key(rid)) }
            }
            outputs.toClient(bytes)  // requests and notifications from the server
            return
        }
        let key = JSONRPC.key(id)
        enum Kind { case call(InFlight), list, initialize, other, held }
        let kind: Kind = state.withLock { s in
            if let f = s.inFlight.removeValue(forKey: key) { return .call(f) }
            // A held call was never forwarded: an "answer" to it is forged or confused, and
            // passing it on would let the client take it for the undecided call's result.
            if s.heldByRequest[key] != nil { return .held }
            if s.listRequests.remove(key) != nil { return .list }
            if s.initializeRequests.remove(key) != nil { return .initialize }
            s.otherRequests.remove(key)
            return .other
        }
        switch kind {
        case .call(let flight):
            finishCall(flight, response: o, raw: bytes)
        case .list:
            outputs.toClient(filterToolList(o) ?? bytes)
        case .initialize:
            outputs.toClient(advertiseListChanged(o) ?? bytes)
        case .other:
            outputs.toClient(bytes)
        case .held:
            log.warning("upstream answered request \(key.prefix(100)), which is held for approval and was never forwarded; dropped")
        }
    }

    public func handleUpstreamTooLong(_ byteCount: Int, limit: Int) {
        log.error("upstream wrote a \(byteCount)-byte message, over the \(limit)-byte limit; it was dropped")
    }

    private func finishCall(_ flight: InFlight, response: JSONObject, raw: [UInt8]) {
        var r = flight.record
        r.latencyMs = latencyMs(since: flight.startedAt)
        let keepCharge: Bool
        if let result = response["result"], result["resultType"]?.stringValue == "input_required" {
            // A multi-round-trip call has not done its work yet; its retry is decided and charged anew.
            r.outcome = .ok
            r.resultIsError = false
            r.resultPreview = "input required (the client will retry with answers)"
            keepCharge = false
        } else if let result = response["result"] {
            r.outcome = .ok
            r.resultIsError = result["isError"]?.boolValue ?? false
            r.resultPreview = Self.preview(of: result)
            keepCharge = true
        } else {
            // A protocol-level failure did not do the work, so it gives its quota back.
            r.outcome = .error
            r.resultIsError = true
            r.resultPreview = response["error"]?["message"]?.stringValue.map { String($0.prefix(300)) } ?? "error"
            keepCharge = false
        }
        state.withLock { s in
            // Settled, then the row completed: both on the journal before the client hears.
            if let res = flight.reservation {
                if keepCharge { try? counters.commit(res) } else { try? counters.rollback(res) }
            }
            if !audit(r, completing: true) {
                log.error("the answer to call \(r.id) is passed on although its audit row could not be completed")
            }
            emitCall(&s, r, recent: .at(flight.recent))
            if let res = flight.reservation, r.outcome == .error { emitCounters(&s, res.charges, now: clock.now()) }
        }
        outputs.toClient(raw)
    }

    static func preview(of result: JSONValue) -> String {
        if case .array(let content)? = result["content"] {
            let texts = content.compactMap { $0["text"]?.stringValue }
            // 300 bytes are at most 300 characters: a short single text is its own preview.
            if texts.count == 1, texts[0].utf8.count <= 300 { return texts[0] }
            if !texts.isEmpty { return String(texts.joined(separator: " ").prefix(300)) }
        }
        return String(JSONWriter.string(result).prefix(300))
    }

    /// Drops hidden tools from a `tools/list` page and records the catalogue for the dashboard.
    private func filterToolList(_ o: JSONObject) -> [UInt8]? {
        guard case .object(var result)? = o["result"], case .array(let tools)? = result["tools"] else { return nil }
        var visible: [JSONValue] = []
        let changed: Bool = state.withLock { s in
            var catalogue = Dictionary(s.tools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            var order = s.tools.map(\.name)
            for t in tools {
                guard case .string(let name)? = t["name"] else { continue }
                let description = t["description"]?.stringValue
                let annotations = t["annotations"]
                let risk = RiskClass.classify(name: name, description: description, annotations: annotations)
                if catalogue[name] == nil { order.append(name) }
                catalogue[name] = UpstreamTool(name: name, description: description, annotations: annotations, risk: risk)
                let hidden = s.engine.status(of: name, state: s.runtime).hidden
                if !hidden { visible.append(t) }
            }
            s.tools = order.compactMap { catalogue[$0] }
            emit(&s, ControlEvent(at: clock.now(), type: .tools, tools: toolInfos(s)))
            return visible.count != tools.count
        }
        if !changed { return nil }
        result["tools"] = .array(visible)
        var out = o
        out["result"] = .object(result)
        return JSONWriter.bytes(.object(out))
    }

    /// The gateway may change what is visible at run time, so it tells the client it will say so.
    private func advertiseListChanged(_ o: JSONObject) -> [UInt8]? {
        guard case .object(var result)? = o["result"], case .object(var caps)? = result["capabilities"],
              case .object(var tools)? = caps["tools"], tools["listChanged"]?.boolValue != true else { return nil }
        tools["listChanged"] = true
        caps["tools"] = .object(tools)
        result["capabilities"] = .object(caps)
        var out = o
        out["result"] = .object(result)
        return JSONWriter.bytes(.object(out))
    }

    /// Fails one forwarded call (the upstream could not take it or died before answering).
    func failInFlight(callID: String, message: String) {
        let effects: [Effect] = state.withLock { s in
            guard let (key, f) = s.inFlight.first(where: { $0.value.record.id == callID }) else { return [] }
            s.inFlight.removeValue(forKey: key)
            return failFlight(&s, f, rpcKey: key, message: message)
        }
        perform(effects)
    }

    private func failFlight(_ s: inout State, _ f: InFlight, rpcKey: String, message: String) -> [Effect] {
        var r = f.record
        r.outcome = .error
        r.reason = "Upstream unavailable: \(message)"
        r.latencyMs = latencyMs(since: f.startedAt)
        if let res = f.reservation { try? counters.rollback(res) }
        _ = audit(r)
        emitCall(&s, r, recent: .at(f.recent))
        let id = (try? JSONParser.parse(rpcKey)) ?? .null
        return [.client(JSONRPC.error(id: id, code: JSONRPC.internalError, message: r.reason!))]
    }

    /// The gateway is stopping: calls still waiting for the upstream will never be answered, so
    /// they end now (as errors, their quota given back) instead of staying "forwarded" for good.
    public func abandonInFlight(_ reason: String) {
        let effects: [Effect] = state.withLock { s in
            var effects: [Effect] = []
            for (key, f) in s.inFlight { effects += failFlight(&s, f, rpcKey: key, message: reason) }
            s.inFlight.removeAll()
            return effects
        }
        perform(effects)
    }

    /// The upstream exited or could not start: every open request gets an error now, and every
    /// later one at once, so the client never hangs.
    public func upstreamExited(_ description: String) {
        log.error("upstream \(description)")
        let effects: [Effect] = state.withLock { s in
            s.upstreamRunning = false
            s.upstreamFailure = description
            var effects: [Effect] = []
            for (key, f) in s.inFlight { effects += failFlight(&s, f, rpcKey: key, message: description) }
            s.inFlight.removeAll()
            for key in s.listRequests.union(s.initializeRequests).union(s.otherRequests).sorted() {
                let id = (try? JSONParser.parse(key)) ?? .null
                effects.append(.client(JSONRPC.error(id: id, code: JSONRPC.internalError, message: "Upstream unavailable: \(description)")))
            }
            s.listRequests.removeAll()
            s.initializeRequests.removeAll()
            s.otherRequests.removeAll()
            for (_, h) in s.held {
                effects += resolveHeld(&s, h, outcome: .error, by: nil, reason: "Upstream unavailable: \(description)", scope: nil)
            }
            emit(&s, ControlEvent(at: clock.now(), type: .upstream, upstreamRunning: false, message: description))
            return effects
        }
        perform(effects)
    }
}
