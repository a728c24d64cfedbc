import Testing
@testable import GatehouseCore

@Suite("Did you mean")
struct SuggestionTests {
    @Test(arguments: [
        ("limts", ["limits", "require"], "limits"),
        ("gtee", ["gt", "gte", "lt"], "gte"),
        ("minutes", ["second", "minute", "hour", "day"], "minute"),
        ("sesion", ["grant", "session", "global"], "session"),
        ("deny-if", ["deny_if", "require"], "deny_if"),
        ("denyIf", ["deny_if", "require"], "deny_if"),
        ("DEFAULT", ["default"], "default"),
        ("reuqire", ["require"], "require"),
        ("dney", ["allow", "deny", "require_approval"], "deny"),
    ])
    func suggestsCloseWords(_ word: String, _ candidates: [String], _ expected: String) {
        #expect(Suggestion.closest(to: word, in: candidates) == expected)
    }

    @Test func staysQuietWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "banana", in: ["limits", "require"]) == nil)
        #expect(Suggestion.closest(to: "x", in: []) == nil)
        #expect(Suggestion.closest(to: "gx", in: ["eq"]) == nil)
    }

    @Test func distanceCountsASwapAsOneEdit() {
        #expect(Suggestion.distance("ab", "ba") == 1)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("", "abc") == 3)
    }
}
