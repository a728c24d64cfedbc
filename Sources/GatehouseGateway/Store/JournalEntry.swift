import GatehouseCore

/// One write the audit journal carries to SQLite: a call's audit row, or the settlement of a
/// counter reservation. Encoded as one JSON line, so a torn tail (a write cut short by a kill)
/// is simply a line that does not parse.
enum JournalEntry: Sendable {
    /// `complete`: the call's first row was written before. `keepsArguments`: the entry carries
    /// the call's arguments (a first entry, unless only their hash is kept: `--audit-args hash`);
    /// they are written as JSON, not as escaped text, which costs the call path a second pass.
    case audit(CallRecord, keepsArguments: Bool, complete: Bool, at: Double)
    /// `at`: when the reservation was made (the counter mirror finds its charges by it).
    case settle(reservation: String, at: Double, commit: Bool)
    /// A charge to a session-scoped counter, reserved in memory (see `SQLiteCounterStore`).
    case charge(CounterCharge, at: Double, reservation: String)

    var callID: String? {
        if case .audit(let c, _, _, _) = self { return c.id }
        return nil
    }

    /// The line written to the journal, newline included.
    func line() -> [UInt8] {
        let e = LineEncoder(capacity: 512)
        encode(into: e)
        return Array(e.bytes)
    }

    /// Appends the line, newline included, to `out`.
    func encode(into out: LineEncoder) {
        switch self {
        case .settle(let reservation, let at, let commit):
            out.raw(#"{"type":"settle","reservation":"#)
            out.string(reservation)
            out.field(#","at":"#, at)
            out.raw(commit ? #","commit":true}"# : #","commit":false}"#)
        case .charge(let c, let at, let reservation):
            out.raw(#"{"type":"charge","reservation":"#)
            out.string(reservation)
            out.field(#","counter":"#, c.key.counter)
            out.field(#","scope":"#, c.key.scope.rawValue)
            out.field(#","subject":"#, c.key.subject)
            out.field(#","at":"#, at)
            out.field(#","amount":"#, c.amount)
            out.field(#","window":"#, c.window)
            out.raw(#","max":"#)
            out.integer(c.max)
            out.byte(UInt8(ascii: "}"))
        case .audit(let c, let keepsArguments, let complete, let at):
            out.raw(complete ? #"{"type":"audit","complete":true"# : #"{"type":"audit","complete":false"#)
            out.field(#","at":"#, at)
            out.field(#","id":"#, c.id)
            // A completion is the call's result; the rest of its row is as its previous entry left it.
            out.callFields(c, arguments: keepsArguments, resultOnly: complete)
            out.byte(UInt8(ascii: "}"))
        }
        out.byte(0x0A)
    }

    /// Reads one line back; nil for a line that is torn or not an entry (it is then skipped).
    static func parse(_ line: ArraySlice<UInt8>) -> JournalEntry? {
        guard let v = try? JSONParser.parse(Array(line)), case .object(let o) = v else { return nil }
        switch o["type"]?.stringValue {
        case "settle":
            guard let id = o["reservation"]?.stringValue, let commit = o["commit"]?.boolValue,
                  case .number(let at)? = o["at"] else { return nil }
            return .settle(reservation: id, at: at.doubleValue, commit: commit)
        case "charge":
            func number(_ k: String) -> Double? {
                if case .number(let n)? = o[k] { return n.doubleValue }
                return nil
            }
            guard let id = o["reservation"]?.stringValue, let counter = o["counter"]?.stringValue,
                  let scope = o["scope"]?.stringValue.flatMap(CounterScope.init(rawValue:)),
                  let subject = o["subject"]?.stringValue, let at = number("at"), let amount = number("amount"),
                  let window = number("window"), case .number(let max)? = o["max"], let maxValue = max.intValue
            else { return nil }
            let key = CounterKey(counter: counter, scope: scope, subject: subject)
            return .charge(CounterCharge(key: key, window: window, max: maxValue, amount: amount), at: at, reservation: id)
        case "audit":
            func text(_ k: String) -> String? { o[k]?.stringValue }
            func number(_ k: String) -> Double? {
                if case .number(let n)? = o[k] { return n.doubleValue }
                return nil
            }
            func strings(_ k: String) -> [String] {
                guard case .array(let a)? = o[k] else { return [] }
                return a.compactMap(\.stringValue)
            }
            guard let id = text("id"), let outcome = text("outcome").flatMap(CallRecord.Outcome.init(rawValue:)),
                  let at = number("at"), let complete = o["complete"]?.boolValue
            else { return nil }
            // A first entry says all about the call; a completion may carry only its result
            // (journals written before completions did still have the rest), to be laid over
            // the call's previous entry (`takeResult`).
            let gateway = text("gateway"), session = text("session"), grant = text("grant"), tool = text("tool"),
                argsHash = text("argsHash"), receivedAt = number("receivedAt"), decision = text("decision"),
                rule = text("rule")
            if !complete {
                guard gateway != nil, session != nil, grant != nil, tool != nil, argsHash != nil, receivedAt != nil,
                      decision != nil, rule != nil
                else { return nil }
            }
            let record = CallRecord(
                id: id, gateway: gateway ?? "", session: session ?? "", grant: grant ?? "", tool: tool ?? "",
                arguments: o["arguments"] ?? .null, argsHash: argsHash ?? "",
                receivedAt: receivedAt ?? 0, decision: decision ?? "", outcome: outcome, rule: rule ?? "", reason: text("reason"),
                trace: strings("trace"), counters: strings("counters"), approver: text("approver"),
                approvalScope: text("approvalScope"), latencyMs: number("latencyMs"), resultPreview: text("resultPreview"),
                resultIsError: o["resultIsError"]?.boolValue)
            return .audit(record, keepsArguments: o["arguments"] != nil, complete: complete, at: at)
        default:
            return nil
        }
    }
}

extension CallRecord {
    /// This call with `completion`'s result laid over it: what a completion's journal line
    /// carries (see `JournalEntry.encode`).
    mutating func takeResult(from completion: CallRecord) {
        outcome = completion.outcome
        latencyMs = completion.latencyMs
        resultPreview = completion.resultPreview
        resultIsError = completion.resultIsError
    }
}

extension LineEncoder {
    /// A call record's members after its id, in `CallRecord`'s order (its Codable JSON's): what a
    /// journal entry and a control-socket call event both carry. `arguments`: whether to write
    /// them; `resultOnly`: only the result (a completion's journal line).
    func callFields(_ c: CallRecord, arguments: Bool, resultOnly: Bool = false) {
        if !resultOnly {
            field(#","gateway":"#, c.gateway)
            field(#","session":"#, c.session)
            field(#","grant":"#, c.grant)
            field(#","tool":"#, c.tool)
            if arguments {
                raw(#","arguments":"#)
                json(c.arguments)
            }
            field(#","argsHash":"#, c.argsHash)
            field(#","receivedAt":"#, c.receivedAt)
            field(#","decision":"#, c.decision)
        }
        field(#","outcome":"#, c.outcome.rawValue)
        if !resultOnly {
            field(#","rule":"#, c.rule)
            field(#","reason":"#, c.reason)
            field(#","trace":"#, c.trace)
            field(#","counters":"#, c.counters)
            field(#","approver":"#, c.approver)
            field(#","approvalScope":"#, c.approvalScope)
        }
        field(#","latencyMs":"#, c.latencyMs)
        field(#","resultPreview":"#, c.resultPreview)
        field(#","resultIsError":"#, c.resultIsError)
    }
}
