import Testing
@testable import GatehouseDashboard

@Suite("Theme lookup")
struct ThemeLoaderTests {
    @Test func standardSearchPathsInOrder() {
        let paths = ThemeLoader.standardSearchPaths(
            environment: ["XDG_CONFIG_HOME": "/xdg", "HOME": "/home/op"],
            currentDirectory: "/work", executablePath: "/opt/gh/bin/gatehouse")
        #expect(paths == ["/work/themes", "/xdg/gatehouse/themes", "/opt/gh/share/gatehouse/themes"])
        let noXDG = ThemeLoader.standardSearchPaths(environment: ["HOME": "/home/op"], currentDirectory: "/w",
                                                    executablePath: nil)
        #expect(noXDG == ["/w/themes", "/home/op/.config/gatehouse/themes"])
        // XDG paths must be absolute; a relative one is ignored, as the spec says.
        let relative = ThemeLoader.standardSearchPaths(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"],
                                                       currentDirectory: "/w", executablePath: nil)
        #expect(relative == ["/w/themes", "/h/.config/gatehouse/themes"])
    }

    @Test func flagWinsOverEnvironment() {
        #expect(ThemeLoader.selectedName(flag: "light", environment: ["GATEHOUSE_THEME": "colorblind"]) == "light")
        #expect(ThemeLoader.selectedName(flag: nil, environment: ["GATEHOUSE_THEME": "colorblind"]) == "colorblind")
        #expect(ThemeLoader.selectedName(flag: nil, environment: [:]) == "default")
        #expect(ThemeLoader.selectedName(flag: "", environment: ["GATEHOUSE_THEME": ""]) == "default")
    }

    @Test func builtInsWorkWithNoFiles() throws {
        let loader = ThemeLoader(searchPaths: ["/nonexistent/gatehouse/themes"])
        #expect(try loader.load("default") == Theme.default)
        #expect(try loader.load("monochrome") == Theme.monochrome)
    }

    @Test func firstDirectoryWins() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a/night.theme", "name = night\ndescription = from a\nnormal = red\n")
        try dir.write("b/night.theme", "name = night\ndescription = from b\nnormal = blue\n")
        let loader = ThemeLoader(searchPaths: [dir.sub("a"), dir.sub("b")])
        #expect(try loader.load("night").description == "from a")
        #expect(try ThemeLoader(searchPaths: [dir.sub("b"), dir.sub("a")]).load("night").description == "from b")
        #expect(loader.availableNames() == ["default", "monochrome", "night"])
    }

    @Test func nameWithSlashIsAPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("x/custom.theme", "normal = green\n")
        let theme = try ThemeLoader(searchPaths: []).load(dir.sub("x/custom.theme"))
        #expect(theme.name == "custom")  // from the file name when there is no `name =`
        #expect(theme[.normal].foreground == .ansi(2))
    }

    @Test func fileOverridesTheBuiltInDefaultAndCanInheritIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("default.theme", "name = default\ninherit = default\nselected = black on yellow\n")
        let theme = try ThemeLoader(searchPaths: [dir.path]).load("default")
        #expect(theme[.selected] == StyleSpec(foreground: .ansi(0), background: .ansi(3)))
        #expect(theme[.denied] == Theme.default[.denied])   // the rest from the built-in one
        #expect(theme.description == Theme.default.description)
    }

    @Test func inheritanceChainsAndChildWins() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("base.theme", "normal = white\ndenied = red\nheld = yellow\n")
        try dir.write("mid.theme", "inherit = base\ndenied = magenta\n")
        try dir.write("top.theme", "inherit = mid\nheld = cyan, bold\n")
        let theme = try ThemeLoader(searchPaths: [dir.path]).load("top")
        #expect(theme[.normal].foreground == .ansi(7))
        #expect(theme[.denied].foreground == .ansi(5))
        #expect(theme[.held] == StyleSpec(foreground: .ansi(6), attributes: .bold))
    }

    @Test func inheritByRelativePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("lib/base.theme", "denied = red\n")
        try dir.write("mine/my.theme", "inherit = ../lib/base.theme\n")
        let theme = try ThemeLoader(searchPaths: []).load(dir.sub("mine/my.theme"))
        #expect(theme[.denied].foreground == .ansi(1))
    }

    @Test func inheritanceLoopIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("ping.theme", "inherit = ./pong.theme\n")
        try dir.write("pong.theme", "inherit = ./ping.theme\n")
        #expect {
            try ThemeLoader(searchPaths: [dir.path]).load("ping")
        } throws: { error in
            "\(error)".contains("inheritance loop")
        }
    }

    @Test func unknownThemeSuggestsAndListsWhereItLooked() throws {
        let loader = ThemeLoader(searchPaths: [Repo.path("themes")])
        do {
            _ = try loader.load("ligth")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("theme 'ligth' not found in \(Repo.path("themes"))"))
            #expect(error.description.hasSuffix("(did you mean 'light'?)"))
        }
    }

    @Test func errorsInAParentNameTheParentFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("bad.theme", "\ndenied = rde\n")
        try dir.write("child.theme", "inherit = bad\n")
        do {
            _ = try ThemeLoader(searchPaths: [dir.path]).load("child")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix(dir.sub("bad.theme") + ":2: unknown colour 'rde'"))
        }
    }

    @Test func missingInheritedThemeNamesTheInheritingFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("orphan.theme", "inherit = nosuch\n")
        do {
            _ = try ThemeLoader(searchPaths: [dir.path]).load("orphan")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix(dir.sub("orphan.theme") + ": theme 'nosuch' not found"))
        }
    }
}
