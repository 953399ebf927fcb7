import ArgumentParser

/// Training, benchmarks and evaluations, under one command so that `filmsr --help` lists a
/// restorer's commands first.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "The lab's tools: train the networks adaptation relies on, benchmark speed and quality, evaluate trained networks, "
            + "show the libraries and OpenBLAS kernel.",
        subcommands: [Train.self, Bench.self, Evaluate.self, Info.self])
}
