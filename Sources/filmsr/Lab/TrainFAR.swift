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

    @Option(help: "Work folder: options, checkpoint, loss.tsv, validation.tsv, result.")
    var work: String

    @Option(help: "Where to copy the trained regulariser when done.")
    var output: String?

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

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints.")
    var checkpointEvery = FeatureAlignmentTrainingOptions().checkpointEvery

    @Option(name: .customLong("validate-every"), help: "Steps between held-out measurements.")
    var validateEvery = FeatureAlignmentTrainingOptions().validateEvery

    @Option(name: .customLong("stop-after"), help: "End this session after that step (resume later with the same command).")
    var stopAfter: Int?

    @Option(help: "Threads for the matrix products (default: one per core).")
    var threads = 0

    @Option(help: "Folder of training photographs (default: $FILMSR_PHOTOS or assets/photos).")
    var photos: String?

    @Option(help: "LPIPS weights, the fixed encoder (default: $FILMSR_LPIPS or assets/lpips/alexnet.safetensors).")
    var lpips: String?

    func run() throws {
        guard steps > 0, batch > 0, checkpointEvery > 0, validateEvery > 0 else {
            throw UsageError("--steps, --batch, --checkpoint-every and --validate-every must be positive")
        }
        guard patch >= FeatureAlignmentRegulariser.minimumSize else {
            throw UsageError("--patch \(patch): patches must be at least \(FeatureAlignmentRegulariser.minimumSize) pixels (AlexNet needs them)")
        }
        // Checked before training, not after.
        let destination = try output.map { try OutputPath($0, inputs: []) }
        BLASRuntime.setThreadCount(threads)
        var options = FeatureAlignmentTrainingOptions()
        options.steps = steps
        options.batchSize = batch
        options.patchSize = patch
        options.learningRate = learningRate
        options.seed = seed
        options.checkpointEvery = checkpointEvery
        options.validateEvery = validateEvery
        let photoFolder = photos ?? PhotoLibrary.defaultDirectory
        let training = try FeatureAlignmentPretraining(
            options: options, workFolder: work,
            photos: try PhotoLibrary.load(split: .training, directory: photoFolder),
            heldOut: try PhotoLibrary.load(split: .heldOut, directory: photoFolder),
            lpips: lpips ?? LPIPS.defaultWeightsPath)
        if training.completedSteps > 0 { print("resuming at step \(training.completedSteps) of \(steps)") }
        try training.run(progress: ProgressReporter(stage: "train far", total: steps), stoppingAfter: stopAfter) { print($0) }
        guard training.completedSteps == steps else {
            print("stopped at step \(training.completedSteps) of \(steps); run the same command again to go on")
            return
        }
        if let destination {
            destination.discard()
            try FileManager.default.copyItem(atPath: training.folder.result, toPath: destination.temporaryPath)
            try destination.commit()
        }
        print(output ?? training.folder.result)
    }
}
