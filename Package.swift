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

        // Video in and out; knows nothing of networks.
        .target(name: "Media", dependencies: ["CFFmpeg"]),
        // Tensors, layers, optimisers, model files; knows nothing of video.
        .target(name: "Engine", dependencies: ["COpenBLAS"]),
        // Joins the two: scenes, adaptation, rendering.
        .target(name: "Pipeline", dependencies: ["Media", "Engine"]),
        // The command-line front end: parses arguments, calls Pipeline.
        .executableTarget(name: "filmsr", dependencies: [
            "Pipeline", "Media", "Engine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // What the test targets share: repository paths and a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "COpenBLAS", "TestSupport"], exclude: ["Reference"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Media", "TestSupport"]),
        // Runs the built `filmsr` as a user would: arguments, exit status, messages, files.
        .testTarget(name: "CommandLineTests", dependencies: ["filmsr", "TestSupport"]),
    ]
)
