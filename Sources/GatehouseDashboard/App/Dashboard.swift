import Foundation

/// The dashboard's entry point: `gatehouse dash`, `gatehouse` alone, and `gatehouse demo`
/// call `run` on the main thread; it returns when the operator quits.
public enum Dashboard {
    /// Takes the terminal, runs until `q` (or Ctrl-C, SIGTERM, SIGHUP) and gives the
    /// terminal back on every way out.
    /// - Returns: 0 after `q`, 128 + the signal's number after a signal.
    /// - Throws: a theme that cannot be loaded, or no terminal (`CursesScreen.InitError`).
    public static func run(_ options: DashboardOptions) throws -> Int32 {
        let theme = try ThemeLoader.standard().load(ThemeLoader.selectedName(flag: options.themeName))
        let screen = try CursesScreen(options: .init(theme: theme, mouse: options.mouse, gracefulTermination: true))
        defer { screen.restore() }
        return DashboardApp(terminal: screen, options: options).run()
    }
}
