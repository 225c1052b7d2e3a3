// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Indgang",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "indgang", targets: ["indgang"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
    ],
    targets: [
        // Pure domain: CPR, cases, handoffs, identifiers. Foundation only.
        .target(
            name: "IndgangCore",
            dependencies: []
        ),
        // MedCom HospitalNotification (FHIR R4 messages): parsing, mapping to Indgang events, acknowledgements. Pure.
        .target(
            name: "IndgangMedCom",
            dependencies: ["IndgangCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The web console's pages: view models, Mustache templates, SVG charts and static assets. Pure rendering.
        .target(
            name: "IndgangConsole",
            dependencies: ["IndgangCore", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Templates"), .copy("Assets")]
        ),
        // The SQL files and the OpenAPI document, shipped as resources of the binary.
        .target(
            name: "IndgangSchema",
            path: "Schema",
            sources: ["IndgangSchema.swift"],
            resources: [.copy("migrations"), .copy("pathways"), .copy("openapi.yaml")]
        ),
        .target(
            name: "IndgangStore",
            dependencies: [
                "IndgangCore",
                "IndgangMedCom",
                "IndgangSchema",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "IndgangServer",
            dependencies: [
                "IndgangCore",
                "IndgangConsole",
                "IndgangMedCom",
                "IndgangStore",
                "IndgangSchema",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "indgang",
            dependencies: [
                "IndgangServer",
                "IndgangSchema",
                "IndgangStore",
                "IndgangCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "IndgangCoreTests",
            dependencies: ["IndgangCore"]
        ),
        .testTarget(
            name: "IndgangMedComTests",
            dependencies: ["IndgangMedCom", "IndgangCore"]
        ),
        .testTarget(
            name: "IndgangConsoleTests",
            dependencies: ["IndgangConsole", "IndgangCore"]
        ),
        .testTarget(
            name: "IndgangServerTests",
            dependencies: [
                "IndgangServer",
                "IndgangStore",
                "IndgangCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
