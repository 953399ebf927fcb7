import ArgumentParser

/// The lab's training tools, nested so that a restorer's commands come first in `filmsr --help`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the networks adaptation relies on (lab): the LR reconstruction branch and the feature-alignment regulariser.",
        subcommands: [TrainRecon.self, TrainFAR.self])
}
