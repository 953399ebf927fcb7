import ArgumentParser
import Engine
import Foundation
import Lab
import Media
import Pipeline

struct TrainFAR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "far",
        abstract: "Train the feature-alignment regulariser: a small encoder taught to agree with LPIPS's AlexNet on clean photographs.",
        discussion: """
            Checkpoints go to the work folder every few steps; running the same command again resumes \
            from the last one (and --steps may be raised to train longer). The trained regulariser is \
            written to WORK/far.safetensors, and copied to --output when given.
            """)

    @OptionGroup var session: TrainingSessionArguments

    @Option(help: "Training steps in all (a resumed run may raise it).")
    var steps = FeatureAlignmentTrainingOptions().steps

    @Option(help: "Patches per step.")
    var batch = FeatureAlignmentTrainingOptions().batchSize

    @Option(help: "Patch side in pixels (at least \(FeatureAlignmentRegulariser.minimumSize)).")
    var patch = FeatureAlignmentTrainingOptions().patchSize

    @Option(name: .customLong("learning-rate"), help: "Peak Adam learning rate (cosine decay to a tenth).")
    var learningRate = FeatureAlignmentTrainingOptions().learningRate

    @Option(help: "Seed of the initial weights, F's projection and every training patch.")
    var seed: UInt64 = FeatureAlignmentTrainingOptions().seed

    func run() throws {
        guard steps > 0, batch > 0 else { throw UsageError("--steps and --batch must be positive") }
        guard patch >= FeatureAlignmentRegulariser.minimumSize else {
            throw UsageError("--patch \(patch): patches must be at least \(FeatureAlignmentRegulariser.minimumSize) pixels (AlexNet needs them)")
        }
        // Checked before training, not after.
        let destination = try session.prepare()
        var options = FeatureAlignmentTrainingOptions()
        options.steps = steps
        options.batchSize = batch
        options.patchSize = patch
        options.learningRate = learningRate
        options.seed = seed
        options.checkpointEvery = session.checkpointEvery ?? options.checkpointEvery
        options.validateEvery = session.validateEvery ?? options.validateEvery
        let photos = try session.photoLibraries()
        let training = try FeatureAlignmentPretraining(options: options, workFolder: session.work, photos: photos.training, heldOut: photos.heldOut,
                                                       lpips: session.lpipsWeights)
        try session.train(steps: steps, completedSteps: training.completedSteps, folder: training.folder, destination: destination) { events in
            try training.run(stoppingAfter: session.stopAfter, events: events)
            return training.completedSteps
        }
    }
}
