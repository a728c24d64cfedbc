import MCP

/// What a demo tool answers: a sentence for the model, the same facts as structured content
/// for programs (the simulated agent reads listen keys and order ids from it), and whether it failed.
struct ToolReply: Sendable, Equatable {
    var text: String
    var structured: [String: Value]?
    var isError: Bool

    static func ok(_ text: String, _ structured: [String: Value]? = nil) -> ToolReply {
        ToolReply(text: text, structured: structured, isError: false)
    }

    /// A tool-level error: the call reached the exchange and the exchange said no.
    static func failure(_ text: String) -> ToolReply {
        ToolReply(text: text, structured: nil, isError: true)
    }

    var result: CallTool.Result {
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)],
                        structuredContent: structured.map(Value.object), isError: isError)
    }
}
