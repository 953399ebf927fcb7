import Engine
import Foundation
import Pipeline

/// Step 1 of LWay: trains the degradation encoder E and the reconstructor R together so that
/// R(HR, E(LR)) reproduces LR, with loss L1 + w * LPIPS, on photographs degraded on the fly.
///
/// Everything lives in a work folder: the options, a checkpoint (weights, optimiser moments,
/// step) rewritten atomically every few steps, the loss and held-out logs, and at the end the
/// trained branch. Running again with the same folder resumes from the last checkpoint, and
/// since every batch is made from (seed, step) alone, a resumed run trains exactly as an
/// uninterrupted one would.
public final class ReconstructionPretraining {
    public let options: PretrainingOptions
    /// loss.tsv: step, L1, LPIPS, total loss, learning rate, seconds of training so far (and,
    /// with the family classifier, its cross-entropy; with the PSNR loss, the batch's PSNR;
    /// with the neighbourhood loss, its value);
    /// validation.tsv: step, held-out PSNR of R(HR, E(LR)) against LR, and of the bicubic shrink;
    /// result: reconstruction.safetensors.
    public let folder: TrainingWorkFolder
    public let branch: ReconstructionBranch
    public private(set) var completedSteps = 0
    private let optimiser = Adam(learningRate: 0)
    private let lpips: LPIPS
    private let photos: PhotoLibrary
    private let validationBatch: ReconstructionBatch
    private let synthesizer: DegradationSynthesizer

    public init(options: PretrainingOptions, workFolder: String, photos: PhotoLibrary, heldOut: PhotoLibrary, lpips: LPIPS) throws {
        self.options = options
        folder = TrainingWorkFolder(workFolder, resultName: "reconstruction.safetensors")
        self.photos = photos
        self.lpips = lpips
        synthesizer = DegradationSynthesizer(scale: options.configuration.scale)
        branch = ReconstructionBranch(configuration: options.configuration, seed: options.seed)
        validationBatch = try ReconstructionBatch.make(
            count: 24, lrPatchSize: options.lrPatchSize, scale: options.configuration.scale, photos: heldOut, synthesizer: synthesizer,
            seed: 0x5EED_0F_4E1D_0001, family: { DegradationFamily.allCases[$0 % DegradationFamily.allCases.count] })
        try ResumableTraining.claim(folder, for: options)
        if FileManager.default.fileExists(atPath: folder.checkpoint) {
            try restoreCheckpoint()
        } else if let initial = options.initialBranch {
            try startFrom(initial)
        }
        let extraColumns = (options.configuration.familyClassifier ? "\tfamily_cross_entropy" : "") + (options.psnrWeight > 0 ? "\tpsnr" : "")
            + (options.neighbourhoodWeight > 0 ? "\tneighbourhood" : "")
        try TabularLog.truncate(folder.lossLog, header: "step\tl1\tlpips\ttotal\tlearning_rate\tseconds" + extraColumns,
                                keepingStepsBelow: completedSteps)
        try TabularLog.truncate(folder.validationLog, header: "step\treconstruction_psnr\tbicubic_psnr", keepingStepsBelow: completedSteps + 1)
    }

    /// Trains up to `options.steps`, then writes the result; emits "train recon" progress and a
    /// line per held-out measurement. `stoppingAfter` ends this session at that step,
    /// checkpointed, for a job that has to fit in a time slot and goes on later.
    @discardableResult
    public func run(stoppingAfter stepLimit: Int? = nil, events: JobEvents = { _ in }) throws -> ReconstructionBranch {
        completedSteps = try loop.run(from: completedSteps, stoppingAfter: stepLimit, events: events, step: { step in
            let (l1, perceptual, familyCrossEntropy, psnr, neighbourhood) = try trainingStep(step)
            let total = l1 + Double(options.lpipsWeight) * perceptual
            return TrainingStepRecord(columns: [format(l1), format(perceptual), format(total), String(format: "%.3g", options.learningRate(at: step))],
                                      trailingColumns: [familyCrossEntropy, psnr, neighbourhood].compactMap { $0.map(format) }, loss: total)
        }, validate: { done in
            let (reconstruction, bicubic) = try validate()
            return ([format(reconstruction), format(bicubic)],
                    String(format: "step %d: held-out PSNR of R(HR, E(LR)) %.2f dB, of the bicubic shrink %.2f dB", done, reconstruction, bicubic))
        }, checkpoint: saveCheckpoint)
        if completedSteps == options.steps {
            try branch.save(to: folder.result, metadata: ["steps": String(completedSteps), "options": try loop.optionsJSON])
        }
        return branch
    }

    private var loop: ResumableTraining<PretrainingOptions> {
        ResumableTraining(options: options, folder: folder, stage: "train recon", secondsColumn: 5)
    }

    private func format(_ value: Double) -> String { String(format: "%.6f", value) }

    private func trainingStep(_ step: Int) throws -> (l1: Double, lpips: Double, familyCrossEntropy: Double?, psnr: Double?,
                                                     neighbourhood: Double?) {
        var seeds = SeededGenerator(seed: options.seed &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
        let batch = try ReconstructionBatch.make(count: options.batchSize, lrPatchSize: options.lrPatchSize,
                                                 scale: options.configuration.scale, photos: photos, synthesizer: synthesizer,
                                                 seed: seeds.next())
        let embedding = try branch.encoder.forward([batch.lr], training: true)[0]
        var estimate = try branch.reconstructor.forward([batch.hr, embedding], training: true)[0]
        // The controller, fed the true HR: its head learns the true HR's quality indicator, and
        // R is trained under the extent that indicator gives (QualityController).
        var controller: (extents: [Float], embeddingGradient: Tensor)?
        if let head = branch.qualityHead {
            head.zeroGradients()
            let predicted = try head.forward([embedding], training: true)[0]
            let measured = try QualityController.indicator(lr: batch.lr, candidate: batch.hr, lpips: lpips)
            let regression = Loss.l1(predicted, Tensor(predicted.shape, values: measured.map(Float.init)))
            let regressionGradient = Tensor(predicted.shape)
            regressionGradient.add(regression.gradient, scale: options.controllerWeight)
            let extents = QualityController.extents(predicted: predicted, measured: measured)
            estimate = QualityController.apply(extents, estimate: estimate, hr: batch.hr)
            controller = (extents, head.backward([regressionGradient])[0])
        }
        let l1 = Loss.l1(estimate, batch.lr)
        let perceptual = try lpips.loss(estimate, batch.lr)
        var gradient = l1.gradient
        gradient.add(perceptual.gradient, scale: options.lpipsWeight)
        var psnr: Double?
        if options.psnrWeight > 0 {
            let negativePSNR = Loss.negativePSNR(estimate, batch.lr)
            gradient.add(negativePSNR.gradient, scale: options.psnrWeight)
            psnr = -negativePSNR.value
        }
        if let controller { gradient = QualityController.estimateGradient(gradient, extents: controller.extents) }
        branch.encoder.zeroGradients()
        branch.reconstructor.zeroGradients()
        let inputGradients = branch.reconstructor.backward([gradient])
        if let controller { inputGradients[1].add(controller.embeddingGradient) }
        // The family classifier: its cross-entropy reaches E through the embedding.
        var familyCrossEntropy: Double?
        if let head = branch.familyHead {
            head.zeroGradients()
            let logits = try head.forward([embedding], training: true)[0]
            let crossEntropy = Loss.softmaxCrossEntropy(logits, labels: FamilyClassifier.labels(batch.records))
            let logitGradient = Tensor(logits.shape)
            logitGradient.add(crossEntropy.gradient, scale: options.familyWeight)
            inputGradients[1].add(head.backward([logitGradient])[0])
            familyCrossEntropy = crossEntropy.value
        }
        var neighbourhood: Double?
        if options.neighbourhoodWeight > 0 {
            let loss = Loss.neighbourhoodComponents(embedding, labels: FamilyClassifier.labels(batch.records))
            inputGradients[1].add(loss.gradient, scale: options.neighbourhoodWeight)
            neighbourhood = loss.value
        }
        branch.encoder.backward([inputGradients[1]])
        optimiser.learningRate = options.learningRate(at: step)
        optimiser.step(branch.parameters)
        return (l1.value, perceptual.value, familyCrossEntropy, psnr, neighbourhood)
    }

    /// Mean held-out PSNR against the true LR: of the branch's reconstruction, and of the
    /// bicubic shrink of HR (the best-known fixed degradation).
    func validate() throws -> (reconstruction: Double, bicubic: Double) {
        let embedding = try branch.embed(validationBatch.lr)
        let estimate = try branch.reconstruct(hr: validationBatch.hr, embedding: embedding)
        let lr = validationBatch.lr.shape
        let shrunk = Resize.apply(.bicubic, to: validationBatch.hr, height: lr.height, width: lr.width)
        return (Metrics.meanItemPSNR(estimate, validationBatch.lr), Metrics.meanItemPSNR(shrunk, validationBatch.lr))
    }

    private func saveCheckpoint(steps: Int) throws {
        try branch.save(to: folder.checkpoint, metadata: ["step": String(steps), "options": try loop.optionsJSON],
                        extraEntries: optimiser.stateEntries(for: branch.parameters))
    }

    /// Copies every weight a trained branch of the same body has by name (E, R, a controller
    /// head); heads or a gate it lacks stay fresh.
    private func startFrom(_ path: String) throws {
        let initial = try ReconstructionBranch.load(from: path).branch
        guard initial.configuration.hasTheSameBody(as: options.configuration) else {
            throw PipelineError("\(path): a branch of another shape (\(initial.configuration)) cannot start this run")
        }
        let trained = Dictionary(initial.parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for target in branch.parameters {
            if let source = trained[target.name] { target.value.copy(from: source.value) }
        }
    }

    private func restoreCheckpoint() throws {
        let (saved, metadata, entries) = try ReconstructionBranch.load(from: folder.checkpoint)
        guard saved.configuration == options.configuration, let step = metadata["step"].flatMap(Int.init) else {
            throw PipelineError("\(folder.checkpoint): does not belong to this run; use another work folder")
        }
        for (target, source) in zip(branch.parameters, saved.parameters) { target.value.copy(from: source.value) }
        try optimiser.restoreState(from: entries, for: branch.parameters, stepCount: step)
        completedSteps = step
    }
}
