import ArgumentParser

/// The lab's benchmarks: the engine's speed, and restores measured against a clean reference.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and quality (lab): the engine's hot paths, and restores against a clean reference.",
        subcommands: [BenchEngine.self, BenchRestore.self, BenchAblation.self, BenchCurve.self, BenchGate.self])
}
