import ArgumentParser

/// The lab's evaluations of trained networks on held-out data.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained network on held-out photographs (lab).",
        subcommands: [EvaluateRecon.self])
}
