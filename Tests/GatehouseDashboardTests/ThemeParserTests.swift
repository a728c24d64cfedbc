import Testing
@testable import GatehouseDashboard

@Suite("Theme format")
struct ThemeParserTests {
    func spec(_ text: String) throws -> StyleSpec {
        try ThemeParser.parseSpec(text).get()
    }

    @Test func colourForms() throws {
        #expect(try spec("red") == StyleSpec(foreground: .ansi(1)))
        #expect(try spec("bright-blue") == StyleSpec(foreground: .ansi(12)))
        #expect(try spec("BRIGHT-Blue") == StyleSpec(foreground: .ansi(12)))
        #expect(try spec("#00ff7f") == StyleSpec(foreground: .rgb(RGB(0, 255, 127))))
        #expect(try spec("208") == StyleSpec(foreground: .indexed(208)))
        #expect(try spec("3") == StyleSpec(foreground: .ansi(3)))
        #expect(try spec("default") == StyleSpec())
    }

    @Test func foregroundBackgroundAndAttributes() throws {
        #expect(try spec("white on #005f87, bold") ==
                StyleSpec(foreground: .ansi(7), background: .rgb(RGB(0, 0x5f, 0x87)), attributes: .bold))
        #expect(try spec("on yellow") == StyleSpec(background: .ansi(3)))
        #expect(try spec("reverse, bold") == StyleSpec(attributes: [.reverse, .bold]))
        #expect(try spec("  red   on   black ,underline,  italic ") ==
                StyleSpec(foreground: .ansi(1), background: .ansi(0), attributes: [.underline, .italic]))
    }

    @Test func badSpecsSayWhatIsWrong() {
        func message(_ text: String) -> String {
            if case .failure(let e) = ThemeParser.parseSpec(text) { return e.message }
            return "parsed"
        }
        #expect(message("") .contains("missing style"))
        #expect(message("rde").contains("unknown colour 'rde' (did you mean 'red'?)"))
        #expect(message("brightred").contains("did you mean 'bright-red'?"))
        #expect(message("#12345").contains("'#rrggbb'"))
        #expect(message("#gg0000").contains("'#rrggbb'"))
        #expect(message("256").contains("out of range 0-255"))
        #expect(message("red, bld").contains("unknown attribute 'bld' (did you mean 'bold'?)"))
        #expect(message("bold, red").contains("colours go first"))
        #expect(message("red on").contains("cannot read"))
        #expect(message("red,,bold").contains("empty item"))
    }

    @Test func headerRolesAndComments() throws {
        let doc = try ThemeParser.parse("""
            # full-line comment
            name = mine        # trailing comment
            description = My theme # with a comment
            inherit = default

            selected = black on #ffd75f, bold   # hex is not a comment
              border = 240
            """, file: "mine.theme")
        #expect(doc.name == "mine")
        #expect(doc.description == "My theme")
        #expect(doc.inherit == "default")
        #expect(doc.entries == [
            .selected: StyleSpec(foreground: .ansi(0), background: .rgb(RGB(0xff, 0xd7, 0x5f)), attributes: .bold),
            .border: StyleSpec(foreground: .indexed(240)),
        ])
    }

    @Test func errorsCarryFileLineAndSuggestion() {
        let text = """
            name = broken
            slected = reverse
            border = gren
            risk-finance = bold
            just words
            normal = red
            normal = blue
            """
        do {
            _ = try ThemeParser.parse(text, file: "themes/broken.theme")
            Issue.record("expected errors")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines == [
                "themes/broken.theme:2: unknown role 'slected' (did you mean 'selected'?)",
                "themes/broken.theme:3: unknown colour 'gren' (did you mean 'green'?); use a name, bright-NAME, 0-255, #rrggbb or default",
                "themes/broken.theme:4: unknown role 'risk-finance' (did you mean 'risk-financial'?)",
                "themes/broken.theme:5: expected 'key = value', found 'just words'",
                "themes/broken.theme:7: 'normal' is set twice (first on line 6)",
            ])
        }
    }

    @Test func unknownRoleWithNothingCloseHasNoSuggestion() {
        do {
            _ = try ThemeParser.parse("wibblewobble = red", file: "t")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "t:1: unknown role 'wibblewobble'")
        }
    }

    @Test func everyRoleKeyRoundTrips() {
        for style in Style.allCases {
            #expect(Style(themeKey: style.themeKey) == style)
        }
        #expect(Set(Style.allCases.map(\.themeKey)).count == Style.allCases.count)
    }

    @Test func specDescriptionParsesBack() throws {
        let specs = [
            StyleSpec(foreground: .rgb(RGB(1, 2, 3)), background: .ansi(12), attributes: [.bold, .underline]),
            StyleSpec(attributes: .reverse),
            StyleSpec(foreground: .indexed(200)),
        ]
        for s in specs { #expect(try spec(s.description) == s) }
    }
}

@Suite("Theme resolution")
struct ThemeResolutionTests {
    @Test func omittedRolesFallBack() {
        let theme = Theme(name: "t", explicit: [
            .normal: StyleSpec(foreground: .ansi(7)),
            .selected: StyleSpec(background: .ansi(4), attributes: .bold),
            .alert: StyleSpec(foreground: .ansi(1)),
        ])
        #expect(theme[.selectedInactive] == theme[.selected])   // selected-inactive -> selected
        #expect(theme[.killSwitch] == theme[.alert])            // kill-switch -> alert
        #expect(theme[.errored] == theme[.alert])
        #expect(theme[.header] == theme[.normal])               // everything else -> normal
    }

    @Test func defaultColoursMeanNormals() {
        let theme = Theme(name: "t", explicit: [
            .normal: StyleSpec(foreground: .ansi(15), background: .ansi(0)),
            .denied: StyleSpec(foreground: .ansi(9)),
            .match: StyleSpec(background: .ansi(3)),
        ])
        #expect(theme[.denied] == StyleSpec(foreground: .ansi(9), background: .ansi(0)))
        #expect(theme[.match] == StyleSpec(foreground: .ansi(15), background: .ansi(3)))
    }

    @Test func visibleBackground() {
        let theme = Theme(name: "t", explicit: [
            .selected: StyleSpec(attributes: .bold),                 // bold alone: not enough
            .selectedInactive: StyleSpec(attributes: .reverse),
            .match: StyleSpec(background: .ansi(3)),
        ])
        #expect(!theme.hasVisibleBackground(.selected))
        #expect(theme.hasVisibleBackground(.selectedInactive))
        #expect(theme.hasVisibleBackground(.match))
    }
}

@Suite("Did-you-mean")
struct SuggestionTests {
    @Test func distances() {
        #expect(Suggestion.editDistance("red", "red") == 0)
        #expect(Suggestion.editDistance("rde", "red") == 1)       // swap
        #expect(Suggestion.editDistance("slected", "selected") == 1)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    }

    @Test func suggestsOnlyPlausibleTypos() {
        let names = ["default", "light", "high-contrast", "colorblind", "monochrome"]
        #expect(Suggestion.closest(to: "ligth", in: names) == "light")
        #expect(Suggestion.closest(to: "colourblind", in: names) == "colorblind")
        #expect(Suggestion.closest(to: "solarized", in: names) == nil)
    }
}
