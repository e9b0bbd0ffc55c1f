// swift-tools-version:6.1
// bedrock: Amazon Bedrock's generative-AI workflow on one machine, with real local models.
// One module per layer (Docs/architecture.md); dependencies point down only.
import PackageDescription

/// The numeric targets always get an explicit target CPU: Swift's default (baseline x86-64, no FMA)
/// turns SIMD fused multiply-adds into `fmaf` calls (0.75 GFLOP/s, TOOLCHAIN.md §2). AVX2+FMA is the
/// floor the binary may assume; wider paths are chosen at run time inside the kernels.
#if arch(x86_64)
let numericCPU = ["-target-cpu", "haswell"]
#else
let numericCPU: [String] = []
#endif
let numericFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"] + numericCPU, .when(configuration: .release)),
    .unsafeFlags(["-O"] + numericCPU, .when(configuration: .debug)),
]
/// Only for NumericsAVX512, whose functions run only after a run-time CPU check (Numerics/CPU.swift).
#if arch(x86_64)
let wideCPU = ["-target-cpu", "skylake-avx512"]
#else
let wideCPU: [String] = []
#endif
let wideFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked"] + wideCPU, .when(configuration: .release)),
    .unsafeFlags(["-O"] + wideCPU, .when(configuration: .debug)),
]

let package = Package(
    name: "bedrock",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "bedrock", targets: ["bedrock"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // front ends
        .executableTarget(name: "bedrock", dependencies: [
            "BedrockREPL", "BedrockInterpreter", "BedrockBindings", "BedrockPlatform", "Catalog", "Workspace",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "BedrockREPL", dependencies: ["BedrockInterpreter", "CLibEdit"]),
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // language
        .target(name: "BedrockSyntax"),
        .target(name: "BedrockInterpreter", dependencies: ["BedrockSyntax", "Basics"]),
        .target(name: "BedrockBindings", dependencies: ["BedrockInterpreter", "BedrockPlatform", "Catalog", "Billing", "Metrics", "Evaluation"]),
        // platform
        .target(name: "BedrockPlatform", dependencies: [
            "Basics", "Catalog", "Billing", "Workspace", "Metrics", "TextEngine", "EmbeddingEngine", "Training", "Evaluation",
        ], exclude: ["Customization/README.md", "Evaluation/README.md", "Import/README.md"]),
        // domain
        .target(name: "Catalog", dependencies: ["Basics"], exclude: ["Data"]),  // the JSON is embedded by scripts/embed-resources
        .target(name: "Billing", dependencies: ["Catalog"]),
        .target(name: "Workspace", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(name: "workspace-crash-writer", dependencies: ["Workspace"]),
        .target(name: "Metrics", dependencies: ["Basics"]),
        .target(name: "Training", dependencies: ["Basics", "TrainingAVX512"], swiftSettings: numericFlags),
        .target(name: "TrainingAVX512", swiftSettings: wideFlags),
        .target(name: "Evaluation", dependencies: ["Basics"], exclude: ["Data"]),  // the JSONL is embedded by scripts/embed-resources
        // engines and numerics
        .target(name: "TextEngine", dependencies: ["Basics", "Numerics"], swiftSettings: numericFlags),
        // the bottom layer: SHA-256, SplitMix64, edit distance, JSON string literals
        .target(name: "Basics"),
        .target(name: "EmbeddingEngine", swiftSettings: numericFlags),
        .target(name: "Numerics", dependencies: ["NumericsAVX512", "CKernels"], swiftSettings: numericFlags),
        // Integer dot products (vpmaddubsw, VNNI) need intrinsics: C functions compiled per ISA with
        // target attributes and chosen at run time, so the binary still starts on any AVX2 machine.
        // Optimized in debug builds too, like the numeric Swift targets (tests run the real model).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(name: "NumericsAVX512", swiftSettings: wideFlags),
        // benchmarks (scripts/bench-*)
        .executableTarget(name: "bench-lang", dependencies: ["BedrockInterpreter"]),
        .executableTarget(name: "bench-text", dependencies: ["TextEngine"], swiftSettings: numericFlags),
        .executableTarget(name: "bench-embed", dependencies: ["EmbeddingEngine"], swiftSettings: numericFlags),
        .executableTarget(name: "bench-metrics", dependencies: ["Metrics"]),
        .executableTarget(name: "bench-train", dependencies: ["Basics", "Training"], swiftSettings: numericFlags),
        .executableTarget(name: "bench-finetune", dependencies: ["BedrockPlatform"]),
        // tests: one target per module
        .testTarget(name: "BedrockSyntaxTests", dependencies: ["BedrockSyntax"]),
        .testTarget(name: "BedrockInterpreterTests", dependencies: ["BedrockInterpreter", "Basics"], exclude: ["Golden"]),
        .testTarget(name: "BedrockREPLTests", dependencies: ["BedrockREPL", "BedrockBindings", "BedrockPlatform"]),
        .testTarget(name: "bedrockCLITests", dependencies: ["bedrock"]),
        .testTarget(name: "BedrockPlatformTests", dependencies: ["BedrockPlatform", "Evaluation"]),
        .testTarget(name: "BedrockBindingsTests", dependencies: ["BedrockBindings"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(name: "BillingTests", dependencies: ["Billing"]),
        .testTarget(name: "WorkspaceTests", dependencies: [
            "Workspace", "workspace-crash-writer", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], exclude: ["Reference"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Basics"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Basics"]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "TextEngineTests", dependencies: ["TextEngine", "Basics"]),
        .testTarget(name: "EmbeddingEngineTests", dependencies: ["EmbeddingEngine"]),
    ]
)

// Every source folder has a README.md for people; SwiftPM should not treat it as a resource.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.exclude.append("README.md")
}
