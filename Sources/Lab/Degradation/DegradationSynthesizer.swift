import Engine
import Foundation
import Pipeline

/// Makes the LR side of a training pair for the LR reconstruction branch: HR degraded by one
/// family of degradations down to 1/scale of its size, every choice drawn from the seed.
public struct DegradationSynthesizer: Sendable {
    public let scale: Int

    public init(scale: Int = 4) {
        precondition(scale >= 1)
        self.scale = scale
    }

    /// hr: 1 x 3 x H x W with H, W multiples of scale; returns LR of exactly H/scale x W/scale,
    /// values in [0,1]. Deterministic for (hr, family, seed).
    public func degrade(_ hr: Tensor, family: DegradationFamily, seed: UInt64) throws -> (lr: Tensor, record: DegradationRecord) {
        let shape = hr.shape
        guard shape.batch == 1, shape.channels == 3, shape.height % scale == 0, shape.width % scale == 0, shape.height >= 2 * scale, shape.width >= 2 * scale else {
            throw EngineError("degradation needs one RGB picture whose sides are multiples of \(scale) (at least \(2 * scale)), got \(shape)")
        }
        let height = shape.height / scale, width = shape.width / scale
        let lr: Tensor, steps: [String]
        if family == .secondOrder {
            var pipeline = SecondOrderDegradation(scale: scale)
            pipeline.filmStageProbability = 0.5
            let result = try pipeline.apply(to: hr, seed: seed)
            (lr, steps) = (result.image, result.steps)
        } else {
            var run = DegradationRun(hr, seed: seed)
            try Self.degrade(&run, family, height: height, width: width)
            (lr, steps) = (run.image, run.steps)
        }
        // Bicubic and sinc overshoot; the LR a network sees is a picture, so it is clamped.
        let output = lr.copy()
        output.clamp()
        return (output, DegradationRecord(family: family, seed: seed, steps: steps))
    }

    /// The family drawn from the seed with the fixed `DegradationFamily.trainingWeight`s, then
    /// as above with the same seed.
    public func degrade(_ hr: Tensor, seed: UInt64) throws -> (lr: Tensor, record: DegradationRecord) {
        try degrade(hr, family: Self.family(forSeed: seed), seed: seed)
    }

    /// The family `degrade(_:seed:)` uses for a seed; drawn from a generator of its own, so that
    /// the family is not tied to the family's own first draw.
    public static func family(forSeed seed: UInt64) -> DegradationFamily {
        var generator = SeededGenerator(seed: seed ^ 0xFA31_11E5_0000_0000)
        var draw = Double.random(in: 0..<1, using: &generator)
        for family in DegradationFamily.allCases {
            draw -= family.trainingWeight
            if draw < 0 { return family }
        }
        return .secondOrder
    }

    private static func degrade(_ run: inout DegradationRun, _ family: DegradationFamily, height: Int, width: Int) throws {
        switch family {
        case .blur:
            run.blur(BlurKernelSampler())
            run.resize(height: height, width: width)
        case .noise:
            run.resize(height: height, width: width)
            run.noise(gaussianSigma: 1...30, poissonScale: 0.05...3)
        case .jpeg:
            run.resize(height: height, width: width)
            try run.jpeg(30...95)
        case .film:
            telecineSoftness(&run)
            run.resize(height: height, width: width)
            for damage in FilmDamageSampler().sample(height: height, width: width, using: &run.generator) { run.damage(damage) }
            // Half the transfers end as a file with light compression.
            if Bool.random(using: &run.generator) { try run.jpeg(70...95) }
        case .codec:
            run.resize(height: height, width: width)
            for generation in CodecGenerationSampler().sample(using: &run.generator) { try run.codecGeneration(generation) }
        case .secondOrder:
            preconditionFailure("the second-order family runs its own pipeline")
        }
    }

    /// The mild blur of a telecine or film scanner (sigma 0.6-1.6 HR pixels), slightly
    /// anisotropic with probability 0.3 (an out-of-true gate or lens).
    private static func telecineSoftness(_ run: inout DegradationRun) {
        let sigma = Double.random(in: 0.6...1.6, using: &run.generator)
        let kernel: BlurKernel = Double.random(in: 0..<1, using: &run.generator) < 0.3
            ? .gaussian(sigmaX: sigma, sigmaY: sigma * Double.random(in: 0.6...0.9, using: &run.generator),
                        angle: Double.random(in: -Double.pi...Double.pi, using: &run.generator))
            : .gaussian(sigmaX: sigma, sigmaY: sigma, angle: 0)
        run.blur(kernel, size: GaussianSupport.side(sigma: sigma))
    }
}
