import Foundation
import Testing
@testable import GatehouseDashboard

/// Holds the shipped files, the compiled-in copies and the docs to each other.
@Suite("Shipped themes and docs")
struct ShippedThemesTests {
    static let shipped = ["default", "light", "high-contrast", "colorblind", "monochrome"]
    static let loader = ThemeLoader(searchPaths: [Repo.path("themes")])

    @Test func themesDirectoryHoldsExactlyTheShippedThemes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.path("themes"))
            .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
        #expect(Set(files) == Set(Self.shipped))
    }

    @Test(arguments: shipped)
    func parsesAndNamesItself(_ name: String) throws {
        let theme = try Self.loader.load(name)
        #expect(theme.name == name)
        #expect(!theme.description.isEmpty)
    }

    @Test(arguments: shipped)
    func selectionIsShownByBackgroundNeverBoldAlone(_ name: String) throws {
        let theme = try Self.loader.load(name)
        for role in [Style.selected, .selectedInactive] {
            #expect(theme.hasVisibleBackground(role), "\(name): \(role) = \(theme[role])")
        }
    }

    @Test(arguments: shipped)
    func selectionSurvivesEveryColourDepth(_ name: String) throws {
        let theme = try Self.loader.load(name)
        for depth in ColorDepth.allCases {
            let palette = TerminalPalette(theme: theme, depth: depth)
            let normal = palette[.normal]
            for role in [Style.selected, .selectedInactive] {
                let r = palette[role]
                let stands = r.attributes.contains(.reverse) || (r.background != normal.background && r.background != -1)
                #expect(stands, "\(name) at \(depth): \(role) resolved to \(r), normal \(normal)")
            }
        }
    }

    @Test(arguments: shipped)
    func outcomesStayDistinctFromNormalAtEveryDepth(_ name: String) throws {
        // Allowed vs denied may look alike without colour (glyphs tell them apart), but a
        // denied or held call must never look exactly like ordinary text.
        let theme = try Self.loader.load(name)
        for depth in ColorDepth.allCases {
            let palette = TerminalPalette(theme: theme, depth: depth)
            for role in [Style.denied, .held, .killSwitch, .alert] {
                #expect(palette[role] != palette[.normal], "\(name) at \(depth): \(role)")
            }
        }
    }

    @Test func monochromeUsesNoColour() throws {
        let theme = try Self.loader.load("monochrome")
        for style in Style.allCases {
            #expect(theme[style].foreground == .default && theme[style].background == .default, "\(style)")
        }
    }

    @Test func highContrastUsesOnlyAnsiColours() throws {
        let theme = try Self.loader.load("high-contrast")
        for style in Style.allCases {
            for c in [theme[style].foreground, theme[style].background] {
                if case .ansi = c { continue }
                Issue.record("\(style) uses \(c)")
            }
        }
    }

    @Test func colorblindThemeHasNoRedGreenPairForGoodAndBad() throws {
        let theme = try Self.loader.load("colorblind")
        let okabeIto: Set<String> = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
                                     "#000000", "#ffffff"]
        for style in [Style.allowed, .denied, .approved, .held, .rateLimited, .timedOut, .errored,
                      .gaugeLow, .gaugeMid, .gaugeHigh] {
            if case .rgb(let c) = theme[style].foreground {
                #expect(okabeIto.contains(c.hex), "\(style) \(c.hex) is not an Okabe-Ito colour")
            } else {
                Issue.record("\(style) should name its Okabe-Ito colour")
            }
        }
        // Denied differs from allowed in attributes too, not only in hue.
        #expect(theme[.denied].attributes != theme[.allowed].attributes)
    }

    @Test(arguments: ["default", "monochrome"])
    func compiledInCopyIsTheFileVerbatim(_ name: String) throws {
        let file = try Repo.read("themes/\(name).theme")
        #expect(BuiltinThemes.texts[name] == file,
                "Sources/GatehouseDashboard/Theme/BuiltinThemes.swift is out of date with themes/\(name).theme")
        #expect(try Self.loader.load(name) == ThemeLoader(searchPaths: []).load(name))
    }

    @Test func docsDescribeEveryRoleWithItsFallback() throws {
        let doc = try Repo.read("docs/themes.md")
        // Rows of the roles table: | `role` | `fallback` | meaning |
        var documented: [String: (fallback: String, meaning: String)] = [:]
        for line in doc.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3 else { continue }
            let unquote = { (s: String) in s.trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
            documented[unquote(cells[0])] = (unquote(cells[1]), cells[2])
        }
        for style in Style.allCases {
            let row = documented[style.themeKey]
            #expect(row?.fallback == (style.fallback?.themeKey ?? "—"),
                    "docs/themes.md: role `\(style.themeKey)` missing or with the wrong fallback")
            #expect(row?.meaning == style.summary, "docs/themes.md: meaning of `\(style.themeKey)`")
        }
        let known = Set(Style.allCases.map(\.themeKey))
        let roleRows = documented.keys.filter { !ThemeParser.headerKeys.contains($0) && !Self.shipped.contains($0) }
        #expect(Set(roleRows).subtracting(known).isEmpty, "docs/themes.md documents roles the code does not know")
    }

    @Test func docsListEveryShippedThemeAttributeAndColourName() throws {
        let doc = try Repo.read("docs/themes.md")
        for name in Self.shipped { #expect(doc.contains("`\(name)`"), "\(name)") }
        for (attr, _) in TextAttributes.named { #expect(doc.contains("`\(attr)`"), "\(attr)") }
        for key in ThemeParser.headerKeys { #expect(doc.contains("`\(key)`"), "\(key)") }
        #expect(doc.contains("NO_COLOR") && doc.contains("GATEHOUSE_THEME") && doc.contains("XDG_CONFIG_HOME"))
    }
}
