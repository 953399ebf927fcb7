// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "FilmSR",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "filmsr", targets: ["filmsr"]),
        .library(name: "Media", targets: ["Media"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Lab", targets: ["Lab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C glue: system libraries found through pkg-config.
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavfilter-dev", "libavutil-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),

        // The engine's element-wise hot loops in C, compiled for AVX-512, AVX2 and baseline x86-64
        // and chosen when the library loads (Swift compiles for baseline only).
        .target(name: "CKernels"),

        // Video in and out; knows nothing of networks.
        .target(name: "Media", dependencies: ["CFFmpeg"]),
        // Tensors, layers, optimisers, model files; knows nothing of video.
        .target(name: "Engine", dependencies: ["COpenBLAS", "CKernels"]),
        // The product: joins the two into scenes, adaptation, acceptance and rendering.
        .target(name: "Pipeline", dependencies: ["Media", "Engine"]),
        // Training and evaluation: degradation synthesis, pretraining, benchmarks.
        // Depends on the product, never the reverse.
        .target(name: "Lab", dependencies: ["Pipeline", "Media", "Engine"]),
        // The command-line front end: parses arguments, calls Pipeline and Lab.
        .executableTarget(name: "filmsr", dependencies: [
            "Pipeline", "Lab", "Media", "Engine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // What the test targets share: repository paths and a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Small networks and real frames that the product's and the lab's tests share.
        .target(name: "PipelineTestSupport", dependencies: ["Pipeline", "Media", "Engine", "TestSupport"], path: "Tests/PipelineTestSupport"),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "COpenBLAS", "TestSupport"], exclude: ["Reference"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Media", "TestSupport", "PipelineTestSupport"]),
        .testTarget(name: "LabTests", dependencies: ["Lab", "Pipeline", "Media", "Engine", "TestSupport", "PipelineTestSupport"]),
        // Runs the built `filmsr` as a user would: arguments, exit status, messages, files.
        .testTarget(name: "CommandLineTests", dependencies: ["filmsr", "TestSupport"]),
    ]
)
