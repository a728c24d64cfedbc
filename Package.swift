// swift-tools-version:6.1
import PackageDescription

// The house, from the bottom up; dependencies point downward only:
//   CSHA256             SHA-256 with the CPU's SHA instructions, where it has them (C; no I/O)
//   GatehouseCore       pure: JSON, policy language, decisions, counters, protocol types (no I/O)
//   GatehouseTransport  POSIX plumbing: pipes, processes, Unix sockets, peer credentials, line framing
//   GatehouseGateway    the proxy, approvals, SQLite state and audit, the control-socket server
//   GatehouseControl    the control-socket client (used by `ctl` and the dashboard)
//   GatehouseDashboard  the ncurses TUI: model, render, input, themes
//   GatehouseDemo       the demo exchange server (official MCP Swift SDK) and simulated agent
//   GatehouseCLI        the commands; `gatehouse` is a one-line executable over it
let package = Package(
    name: "gatehouse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
        .executable(name: "gatehouse-bench", targets: ["gatehouse-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .target(name: "CSHA256"),
        .target(
            name: "GatehouseCore",
            dependencies: ["CSHA256", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "GatehouseTransport"),
        .target(
            name: "GatehouseGateway",
            dependencies: [
                "GatehouseCore", "GatehouseTransport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "GatehouseControl", dependencies: ["GatehouseCore", "GatehouseTransport"]),
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "GatehouseDashboard", dependencies: ["GatehouseCore", "GatehouseControl", "CNcurses"]),
        .target(
            name: "GatehouseDemo",
            dependencies: [
                "GatehouseCore",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "GatehouseCLI",
            dependencies: [
                "GatehouseCore", "GatehouseTransport", "GatehouseGateway", "GatehouseControl",
                "GatehouseDashboard", "GatehouseDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "gatehouse", dependencies: ["GatehouseCLI"]),
        .executableTarget(
            name: "gatehouse-bench",
            dependencies: [
                "GatehouseCore", "GatehouseGateway", "GatehouseTransport", "GatehouseDashboard",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Fuzz targets (docs/reliability.md): a plain build makes a corpus replayer; scripts/fuzz builds
        // the same sources with -sanitize=fuzzer and -DGATEHOUSE_FUZZING for libFuzzer.
        .executableTarget(
            name: "gatehouse-fuzz",
            dependencies: [
                "GatehouseCore", "GatehouseGateway",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/Sources/gatehouse-fuzz"
        ),
        // Shared helpers for the test targets: temporary directories, built-binary paths, processes.
        .target(name: "GatehouseTesting", dependencies: ["GatehouseCore", "GatehouseTransport"]),
        .testTarget(
            name: "GatehouseCoreTests",
            dependencies: [
                "GatehouseCore", "GatehouseTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "GatehouseGatewayTests",
            dependencies: ["GatehouseGateway", "GatehouseControl", "GatehouseTesting", "GatehouseTransport",
                           .product(name: "MCP", package: "swift-sdk")]
        ),
        .testTarget(name: "GatehouseTransportTests", dependencies: ["GatehouseTransport", "GatehouseTesting"]),
        .testTarget(name: "GatehouseDashboardTests", dependencies: ["GatehouseDashboard", "GatehouseTesting"]),
        .testTarget(name: "GatehouseCLITests", dependencies: ["GatehouseCLI", "GatehouseTesting"]),
    ]
)
