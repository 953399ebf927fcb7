import ArgumentParser
import Engine
import Foundation
import Lab
import Media
import Pipeline

struct TrainRecon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon",
        abstract: "Train LWay's LR reconstruction branch (degradation encoder E and reconstructor R) on degraded photographs.",
        discussion: """
            Checkpoints go to the work folder every few steps; running the same command again resumes \
            from the last one (and --steps may be raised to train longer). The trained branch is \
            written to WORK/reconstruction.safetensors, and copied to --output when given.
            """)

    @OptionGroup var session: TrainingSessionArguments

    @Option(help: "Training steps in all (a resumed run may raise it).")
    var steps = PretrainingOptions().steps

    @Option(help: "Pairs per step.")
    var batch = PretrainingOptions().batchSize

    @Option(help: "LR patch side in pixels (at least 32; HR patches are 4 times larger).")
    var patch = PretrainingOptions().lrPatchSize

    @Option(name: .customLong("learning-rate"), help: "Peak Adam learning rate (cosine decay to a tenth).")
    var learningRate = PretrainingOptions().learningRate

    @Option(name: .customLong("lpips-weight"), help: "Weight of LPIPS in the loss L1 + w * LPIPS.")
    var lpipsWeight = PretrainingOptions().lpipsWeight

    @Option(help: "Length of the degradation embedding.")
    var embedding = ReconstructionConfiguration().embeddingSize

    @Option(help: "How R maps HR to LR size: pixel-unshuffle or bicubic.")
    var mapping = "pixel-unshuffle"

    @Flag(help: "Train the HR-aware controller's head with the branch (for restore --controller).")
    var controller = false

    @Option(name: .customLong("controller-weight"), help: "Weight of the controller head's regression loss.")
    var controllerWeight = PretrainingOptions().controllerWeight

    @Flag(name: .customLong("family-classifier"), help: "Train a degradation-family classifier on E's embedding with the branch.")
    var familyClassifier = false

    @Option(name: .customLong("family-weight"), help: "Weight of the family classifier's cross-entropy.")
    var familyWeight = PretrainingOptions().familyWeight

    @Option(name: .customLong("psnr-weight"), help: "Weight of a PSNR loss (mean per-item -PSNR in dB) added to L1 + w * LPIPS.")
    var psnrWeight = PretrainingOptions().psnrWeight

    @Option(name: .customLong("neighbourhood-weight"), help: "Weight of a neighbourhood-components loss grouping E's embeddings by degradation family.")
    var neighbourhoodWeight = PretrainingOptions().neighbourhoodWeight

    @Flag(name: .customLong("residual-gate"), help: "Gate R's residual over the area shrink by a scale read from E's embedding.")
    var residualGate = false

    @Flag(name: .customLong("degradation-bank"),
          help: "Let R start from a blend, read from E's embedding, of blurred area/bilinear/bicubic shrinks instead of the area shrink.")
    var degradationBank = false

    @Option(help: "Start from this trained branch: every weight it has by name is copied, new heads and R's gate start fresh.")
    var initial: String?

    @Option(help: "Seed of the initial weights and of every training pair.")
    var seed: UInt64 = PretrainingOptions().seed

    func run() throws {
        guard let mappingValue = ReconstructionConfiguration.Mapping(argument: mapping) else {
            throw UsageError("--mapping: '\(mapping)' is not pixel-unshuffle or bicubic")
        }
        guard steps > 0, batch > 0 else { throw UsageError("--steps and --batch must be positive") }
        guard patch >= 32 else { throw UsageError("--patch \(patch): LR patches must be at least 32 pixels (the encoder and LPIPS need them)") }
        guard embedding > 0 else { throw UsageError("--embedding must be positive") }
        guard psnrWeight >= 0, familyWeight >= 0, neighbourhoodWeight >= 0 else {
            throw UsageError("--psnr-weight, --family-weight and --neighbourhood-weight cannot be negative")
        }
        // Checked before hours of training, not after.
        let destination = try session.prepare()
        var options = PretrainingOptions()
        options.steps = steps
        options.batchSize = batch
        options.lrPatchSize = patch
        options.learningRate = learningRate
        options.lpipsWeight = lpipsWeight
        options.seed = seed
        options.checkpointEvery = session.checkpointEvery ?? options.checkpointEvery
        options.validateEvery = session.validateEvery ?? options.validateEvery
        options.configuration.embeddingSize = embedding
        options.configuration.mapping = mappingValue
        options.configuration.controller = controller
        options.controllerWeight = controllerWeight
        options.configuration.familyClassifier = familyClassifier
        options.familyWeight = familyWeight
        options.configuration.residualGate = residualGate
        options.configuration.degradationBank = degradationBank
        options.psnrWeight = psnrWeight
        options.neighbourhoodWeight = neighbourhoodWeight
        options.initialBranch = initial
        let photos = try session.photoLibraries()
        let training = try ReconstructionPretraining(options: options, workFolder: session.work, photos: photos.training, heldOut: photos.heldOut,
                                                     lpips: try LPIPS.load(from: session.lpipsWeights))
        try session.train(steps: steps, completedSteps: training.completedSteps, folder: training.folder, destination: destination) { events in
            try training.run(stoppingAfter: session.stopAfter, events: events)
            return training.completedSteps
        }
    }
}

extension ReconstructionConfiguration.Mapping {
    /// From the command line's spelling (pixel-unshuffle, bicubic).
    init?(argument: String) {
        switch argument {
        case "pixel-unshuffle": self = .pixelUnshuffle
        case "bicubic": self = .bicubic
        default: return nil
        }
    }
}
