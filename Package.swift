// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ListWash",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ListWash", targets: ["ListWash"]),
        .executable(name: "listwash", targets: ["listwash"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // ICU from the system (Debian: libicu-dev), seen only by the C target below.
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev"])]
        ),
        // Small C wrappers over ICU with an ICU-free header: UTF-8 in, UTF-8 out.
        .target(name: "CListWashICU", dependencies: ["CICU"]),
        // Swift face of the ICU wrappers; imports no Foundation (Foundation bundles its own ICU).
        .target(name: "ListWashText", dependencies: ["CListWashICU"]),
        // Records, batches, stages, composition, CSV and JSON Lines I/O, diagnostics.
        .target(name: "ListWashCore", dependencies: ["CListWashSHA", "CListWashSystem"]),
        // Normalizers for names, emails, ZIP codes, phones, states, countries, companies.
        .target(
            name: "ListWashNormalize",
            dependencies: ["ListWashCore", "ListWashText", "CListWashSystem"],
            resources: [.copy("Resources")]
        ),
        // Fuzzy matching: similarity, blocking, Fellegi-Sunter scoring, EM, clustering, linking.
        .target(name: "ListWashMatch", dependencies: ["ListWashCore", "ListWashNormalize", "ListWashText", "CListWashSystem"]),
        // Suppression lists and the lead management decision: who is held back, what the CRM does.
        .target(name: "ListWashDecide", dependencies: ["ListWashCore", "ListWashNormalize", "ListWashMatch"]),
        // Business rules: lead scoring and routing by territory, product and key account.
        .target(name: "ListWashRoute", dependencies: ["ListWashCore", "ListWashNormalize"]),
        // Pipeline files, runs, reports: the library users call.
        .target(
            name: "ListWash",
            dependencies: [
                "ListWashCore", "ListWashNormalize", "ListWashMatch", "ListWashDecide", "ListWashRoute",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // SHA-256 block compression with the processor's SHA extensions (portable code in Swift).
        .target(name: "CListWashSHA"),
        // Cache prefetch for the comparison loop (a compiler builtin Swift does not expose).
        .target(name: "CListWashSystem"),
        // Nightly runs: inbox, lock, run history in SQLite, report.html, logging.
        .target(
            name: "ListWashNightly",
            dependencies: [
                "ListWash",
                "ListWashMatch",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "listwash",
            dependencies: [
                "ListWash",
                "ListWashNightly",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Generated, mutated CSV and JSON Lines files and the properties the readers must keep:
        // shared by the fuzz tests and `listwash-bench fuzz`; no product depends on it.
        .target(name: "ListWashFuzz", dependencies: ["ListWashCore"]),
        // Release-build benchmarks with generated data: `swift run -c release listwash-bench`.
        .executableTarget(name: "listwash-bench", dependencies: ["ListWash", "ListWashMatch", "ListWashDecide", "ListWashFuzz"]),
        // What the test targets share: a scratch folder, the package root, running `listwash`.
        .target(name: "ListWashTestSupport", dependencies: ["ListWashCore"], path: "Tests/ListWashTestSupport"),
        .testTarget(name: "ListWashCoreTests", dependencies: ["ListWashCore", "ListWashFuzz", "ListWashTestSupport"]),
        .testTarget(name: "ListWashNormalizeTests", dependencies: ["ListWashNormalize"], exclude: ["Fixtures"]),
        .testTarget(name: "ListWashMatchTests", dependencies: ["ListWashMatch"], exclude: ["Fixtures"]),
        .testTarget(name: "ListWashDecideTests", dependencies: ["ListWashDecide", "ListWashTestSupport"]),
        .testTarget(name: "ListWashRouteTests", dependencies: ["ListWashRoute", "ListWashNormalize"]),
        .testTarget(name: "ListWashTests", dependencies: ["ListWash", "ListWashTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ListWashNightlyTests", dependencies: ["ListWashNightly", "ListWashTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
