import Engine
import Foundation
import Pipeline

/// Trains the feature-alignment regulariser's encoder G (and its projection) to agree with the
/// fixed encoder F on random clean patches of the training photographs, Adam on the alignment
/// loss, after F's statistics are calibrated on other training patches.
///
/// Everything lives in a work folder, as for `ReconstructionPretraining`: options, a checkpoint
/// (weights, optimiser moments, step) rewritten atomically every few steps, the loss and
/// held-out logs, and at the end the trained regulariser. Every batch is made from (seed, step)
/// alone, so a resumed run trains exactly as an uninterrupted one would.
public final class FeatureAlignmentPretraining {
    public let options: FeatureAlignmentTrainingOptions
    /// loss.tsv: step, alignment loss, learning rate, seconds of training so far;
    /// validation.tsv: step, held-out alignment loss, and the variance of F's projection over the
    /// same patches (the loss of the best constant guess: 1 - loss / variance is what G explains);
    /// result: far.safetensors.
    public let folder: TrainingWorkFolder
    public let regulariser: FeatureAlignmentRegulariser
    public private(set) var completedSteps = 0
    private let optimiser = Adam(learningRate: 0)
    private let photos: PhotoLibrary
    private let validationPatches: Tensor

    static let validationSeed: UInt64 = 0x5EED_0F_FA12_0001
    static let calibrationSeed: UInt64 = 0x5EED_0F_FA12_0002
    static let validationCount = 64

    public init(options: FeatureAlignmentTrainingOptions, workFolder: String, photos: PhotoLibrary, heldOut: PhotoLibrary, lpips: String) throws {
        self.options = options
        folder = TrainingWorkFolder(workFolder, resultName: "far.safetensors")
        self.photos = photos
        regulariser = try FeatureAlignmentRegulariser(lpips: lpips, seed: options.seed)
        validationPatches = Self.patches(count: Self.validationCount, size: options.patchSize, from: heldOut, seed: Self.validationSeed)
        try ResumableTraining.claim(folder, for: options)
        if FileManager.default.fileExists(atPath: folder.checkpoint) {
            try restoreCheckpoint(lpips: lpips)
        } else {
            try regulariser.calibrate(on: Self.patches(count: options.calibrationPatches, size: options.patchSize, from: photos,
                                                       seed: Self.calibrationSeed &+ options.seed))
        }
        try TabularLog.truncate(folder.lossLog, header: "step\talignment\tlearning_rate\tseconds", keepingStepsBelow: completedSteps)
        try TabularLog.truncate(folder.validationLog, header: "step\theld_out_alignment\ttarget_variance", keepingStepsBelow: completedSteps + 1)
    }

    /// `count` random crops, each turned by one of the square's eight symmetries (flips and
    /// transposition: a turned photograph is still natural, and 33 photographs are few), the
    /// same for a seed.
    static func patches(count: Int, size: Int, from photos: PhotoLibrary, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(stacking: (0..<count).map { _ in
            let crop = photos.randomCrop(size: size, using: &generator)
            return turned(crop, symmetry: Int.random(in: 0..<8, using: &generator))
        })
    }

    /// A square picture under symmetry `symmetry` (bit 0: mirror columns, bit 1: mirror rows,
    /// bit 2: transpose).
    static func turned(_ picture: Tensor, symmetry: Int) -> Tensor {
        let shape = picture.shape, side = shape.width
        precondition(shape.height == side, "only square pictures are turned")
        let result = Tensor(shape)
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let source = picture.plane(n, c), target = result.plane(n, c)
                for y in 0..<side {
                    for x in 0..<side {
                        var (row, column) = symmetry & 4 != 0 ? (x, y) : (y, x)
                        if symmetry & 1 != 0 { column = side - 1 - column }
                        if symmetry & 2 != 0 { row = side - 1 - row }
                        target[y * side + x] = source[row * side + column]
                    }
                }
            }
        }
        return result
    }

    /// Trains up to `options.steps`, then writes the result; emits "train far" progress and a
    /// line per held-out measurement (the untrained starting point's too, once);
    /// `stoppingAfter` ends this session at that step, checkpointed.
    public func run(stoppingAfter stepLimit: Int? = nil, events: JobEvents = { _ in }) throws {
        completedSteps = try loop.run(from: completedSteps, stoppingAfter: stepLimit, validatesUntrained: true, events: events, step: { step in
            var seeds = SeededGenerator(seed: options.seed &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
            let batch = Self.patches(count: options.batchSize, size: options.patchSize, from: photos, seed: seeds.next())
            let loss = try regulariser.trainingLoss(batch)
            optimiser.learningRate = options.learningRate(at: step)
            optimiser.step(regulariser.encoder.parameters)
            return TrainingStepRecord(columns: [String(format: "%.6f", loss), String(format: "%.3g", optimiser.learningRate)], loss: loss)
        }, validate: { done in
            let (alignment, variance) = try validate()
            return ([String(format: "%.6f", alignment), String(format: "%.6f", variance)],
                    String(format: "step %d: held-out alignment loss %.4f (F's variance %.4f: G explains %.0f%%)",
                           done, alignment, variance, 100 * (1 - alignment / variance)))
        }, checkpoint: saveCheckpoint)
        if completedSteps == options.steps {
            try regulariser.save(to: folder.result, metadata: ["steps": String(completedSteps), "options": try loop.optionsJSON])
        }
    }

    private var loop: ResumableTraining<FeatureAlignmentTrainingOptions> {
        ResumableTraining(options: options, folder: folder, stage: "train far", secondsColumn: 3)
    }

    /// Held-out alignment loss and the variance of F's projection over the same patches.
    func validate() throws -> (alignment: Double, targetVariance: Double) {
        let distances = try regulariser.distances(validationPatches)
        let target = try regulariser.reference.forward([validationPatches])[0]
        let count = Double(target.shape.batch)
        var variance = 0.0
        for k in 0..<target.shape.channels {
            let values = (0..<target.shape.batch).map { Double(target[$0, k, 0, 0]) }
            let mean = values.reduce(0, +) / count
            variance += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        }
        return (distances.reduce(0, +) / count, variance / Double(target.shape.channels))
    }

    private func saveCheckpoint(steps: Int) throws {
        try regulariser.save(to: folder.checkpoint, metadata: ["step": String(steps), "options": try loop.optionsJSON],
                             extraEntries: optimiser.stateEntries(for: regulariser.encoder.parameters))
    }

    private func restoreCheckpoint(lpips: String) throws {
        let (saved, metadata, entries) = try FeatureAlignmentRegulariser.read(from: folder.checkpoint, lpips: lpips)
        guard let step = metadata["step"].flatMap(Int.init) else {
            throw PipelineError("\(folder.checkpoint): does not belong to this run; use another work folder")
        }
        for (target, source) in zip(regulariser.ownParameters, saved.ownParameters) { target.value.copy(from: source.value) }
        try optimiser.restoreState(from: entries, for: regulariser.encoder.parameters, stepCount: step)
        completedSteps = step
    }
}
