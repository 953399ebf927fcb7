import Engine

/// Step 2 of LWay: fine-tunes an SR model S on LR frames alone. With the reconstruction branch
/// frozen, S is trained so that R(S(LR), E(LR)) gives back LR, the loss weighted towards high
/// frequencies by W (HighFrequencyWeightMap): L1(W * R(...), W * T) + w * LPIPS(same), where the
/// target T is LR itself or its aligned neighbour in time (AdaptationTarget).
public final class LWayAdapter {
    public let model: SRModel
    public let branch: ReconstructionBranch
    public let options: AdaptationOptions
    public private(set) var tunedValues = 0
    private let lpips: LPIPS
    private let regulariser: FeatureAlignmentRegulariser?
    private let optimiser: Adam
    private let average: ExponentialMovingAverage?

    public struct Step: Codable, Sendable {
        public var iteration: Int
        public var l1: Double
        public var lpips: Double
        /// The feature-alignment loss of the SR patches (0 when off).
        public var featureAlignment: Double
        public var total: Double
        /// The held-out loss after this iteration, where the stop rule measured it.
        public var validation: Double?
    }

    public struct Result: Sendable {
        public var steps: [Step]
        /// Held-out loss of the pretrained weights, and the iterations after which the kept
        /// weights were measured (0: the pretrained ones); nil without held-out frames.
        public var pretrainedValidation: Double?
        public var keptIteration: Int?
        public var keptValidation: Double?
    }

    /// What an observer of `adapt` sees after each iteration, before the stop rule decides.
    public struct Observation {
        public var step: Step
        let validation: HeldOutValidation?
        /// The iteration and held-out loss of the weights the stop rule would keep now.
        public var keptIteration: Int? { validation?.best?.iteration }
        public var keptValidation: Double? { validation?.best?.loss }
        /// Those weights (to render with `Graph.withWeights`).
        public var keptWeights: WeightSet? { validation?.best?.weights }

        /// Whether the stop rule with this patience would end training now.
        public func stopRuleWouldStop(patience: Int) -> Bool { validation?.wouldStop(patience: patience) ?? false }
    }

    /// `regulariser`: needed when `options.featureAlignmentWeight` > 0.
    public init(
        model: SRModel, branch: ReconstructionBranch, lpips: LPIPS, options: AdaptationOptions,
        regulariser: FeatureAlignmentRegulariser? = nil
    ) throws {
        try options.validate(model: model, branch: branch, regulariser: regulariser)
        self.model = model
        self.regulariser = regulariser
        self.branch = branch
        self.lpips = lpips
        self.options = options
        branch.setTrainable(false)
        tunedValues = try options.tuned.apply(to: model.graph.parameters)
        optimiser = Adam(learningRate: options.learningRate)
        average = options.emaDecay.map { ExponentialMovingAverage(model.graph.parameters, decay: $0) }
    }

    /// Fine-tunes on random patches of `frames` (LR, one scene or group), then leaves in the
    /// model the weights to render: the best the stop rule measured, or the last (or their
    /// moving average) without held-out frames. `observe` is called after every iteration; it may
    /// render with `withRenderedWeights` or the model graph's `withWeights` (the training state is
    /// left as it was).
    public func adapt(
        frames: [AdaptationFrame], progress: (Int, Double) -> Void = { _, _ in },
        observe: (Observation) throws -> Void = { _ in }
    ) throws -> Result {
        let (training, heldOut) = HeldOutValidation.split(frames, share: options.heldOutShare)
        let sampler = try PatchSampler(frames: training, patchSize: options.lrPatchSize, target: options.target)
        var validation =
            try heldOut.isEmpty
            ? nil
            : HeldOutValidation(
                frames: heldOut, patchSize: options.lrPatchSize,
                target: options.target, seed: options.seed)
        var result = Result(steps: [])
        if let held = validation {
            let loss = try total(loss(held.input, target: held.target))
            validation?.record(loss: loss, iteration: 0, weights: self.renderedWeights())
            result.pretrainedValidation = loss
        }
        var generator = SeededGenerator(seed: options.seed)
        for iteration in 0..<options.iterations {
            let batch = sampler.batch(options.batchSize, using: &generator)
            let (l1, perceptual, alignment) = try step(batch.input, target: batch.target)
            var done = Step(
                iteration: iteration, l1: l1, lpips: perceptual, featureAlignment: alignment,
                total: total((l1, perceptual)) + Double(options.featureAlignmentWeight) * alignment)
            if let held = validation, (iteration + 1) % options.validationInterval == 0 || iteration + 1 == options.iterations {
                let loss = try withRenderedWeights { try total(self.loss(held.input, target: held.target)) }
                validation?.record(loss: loss, iteration: iteration + 1, weights: self.renderedWeights())
                done.validation = loss
            }
            result.steps.append(done)
            progress(iteration + 1, done.total)
            try observe(Observation(step: done, validation: validation))
            if validation?.wouldStop(patience: options.patience) == true { break }
        }
        if let best = validation?.best {
            model.graph.load(best.weights)
            result.keptIteration = best.iteration
            result.keptValidation = best.loss
        } else if let average {
            model.graph.load(average.averages)
        }
        return result
    }

    private func total(_ loss: (l1: Double, lpips: Double)) -> Double { loss.l1 + Double(options.lpipsWeight) * loss.lpips }

    /// The weights rendering would use now: the moving averages, or the weights themselves.
    public func renderedWeights() -> WeightSet { average?.averages ?? model.graph.snapshot() }

    /// Runs `body` with the rendered weights in the model, then puts the trained ones back.
    public func withRenderedWeights<T>(_ body: () throws -> T) rethrows -> T {
        guard let average else { return try body() }
        return try model.graph.withWeights(average.averages, body)
    }

    /// The self-supervised loss of the current weights on `lr` against `target` (default: LR
    /// itself), with nothing changed.
    public func loss(_ lr: Tensor, target: Tensor? = nil) throws -> (l1: Double, lpips: Double) {
        let target = target ?? lr
        let weight = HighFrequencyWeightMap.compute(lr)
        let (estimate, _) = try reconstruction(of: try model.upscale(lr), lr: lr, embedding: try branch.embed(lr), training: false)
        return (Loss.l1(estimate, target, weight: weight).value, try lpips.loss(weighted(estimate, weight), weighted(target, weight)).value)
    }

    /// One iteration on a batch of LR patches and their targets (the lab's benchmark times it).
    package func step(_ lr: Tensor, target: Tensor) throws -> (l1: Double, lpips: Double, featureAlignment: Double) {
        let weight = HighFrequencyWeightMap.compute(lr)
        let embedding = try branch.embed(lr)
        let sr = try model.graph.forward([lr], training: true)[0]
        let (estimate, extents) = try reconstruction(of: sr, lr: lr, embedding: embedding, training: true)
        let l1 = Loss.l1(estimate, target, weight: weight)
        let perceptual = try lpips.loss(weighted(estimate, weight), weighted(target, weight))
        // d/d estimate of LPIPS(W * estimate, W * LR) is W times the gradient at W * estimate.
        let gradient = l1.gradient
        gradient.add(weighted(perceptual.gradient, weight), scale: options.lpipsWeight)
        let srGradient: Tensor
        if let extents {
            srGradient = branch.reconstructor.backward([QualityController.estimateGradient(gradient, extents: extents)])[0]
            srGradient.add(QualityController.shrinkGradient(gradient, extents: extents, hrShape: sr.shape))
        } else {
            srGradient = branch.reconstructor.backward([gradient])[0]
        }
        var alignment = 0.0
        if let regulariser, options.featureAlignmentWeight > 0 {
            let regularisation = try regulariser.loss(sr)
            srGradient.add(regularisation.gradient, scale: options.featureAlignmentWeight)
            alignment = regularisation.value
        }
        model.graph.zeroGradients()
        model.graph.backward([srGradient])
        optimiser.step(model.graph.parameters)
        average?.update()
        return (l1.value, perceptual.value, alignment)
    }

    /// R(sr, E(LR)) as the loss sees it; with the controller, R_c and the extent of each item
    /// (QualityController; the extents are constants to the gradient, or S could raise them by
    /// moving away from the enlarged LR in any direction).
    private func reconstruction(of sr: Tensor, lr: Tensor, embedding: Tensor, training: Bool) throws -> (estimate: Tensor, extents: [Float]?) {
        let estimate = try branch.reconstructor.forward([sr, embedding], training: training)[0]
        guard options.controller, let head = branch.qualityHead else { return (estimate, nil) }
        let predicted = try head.forward([embedding])[0]
        let extents = QualityController.extents(predicted: predicted, measured: try QualityController.indicator(lr: lr, candidate: sr, lpips: lpips))
        return (QualityController.apply(extents, estimate: estimate, hr: sr), extents)
    }

    /// x * W, W (n, 1, h, w) broadcast over the channels.
    private func weighted(_ x: Tensor, _ weight: Tensor) -> Tensor {
        let result = Tensor(x.shape)
        for n in 0..<x.shape.batch {
            let w = weight.plane(n, 0)
            for c in 0..<x.shape.channels {
                let source = x.plane(n, c), target = result.plane(n, c)
                for i in 0..<x.shape.planeSize { target[i] = source[i] * w[i] }
            }
        }
        return result
    }
}
