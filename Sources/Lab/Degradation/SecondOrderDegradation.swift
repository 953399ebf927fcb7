import Engine
import Foundation
import Media
import Pipeline

/// Real-ESRGAN's second-order degradation (Wang et al., ICCVW 2021): two rounds of
/// blur -> random resize -> noise -> JPEG, then a final resize to the target size with an
/// optional sinc filter, in either order with the last JPEG. Every random choice comes from
/// the seed, and every step taken is written into the record, so that a training pair can be
/// reproduced and its degradation studied.
///
/// With probability `filmStageProbability` (0 by default) a film stage is woven in, for what
/// old film has beyond a camera: film damage (grain, flicker, dust, scratches) on the first
/// round's picture, before the transfer's blur and resizing soften it, and one or two video
/// codec generations at the very end, as the transfer's copies went through.
public struct SecondOrderDegradation: Sendable {
    /// Output size = input size / scale.
    public var scale: Int
    public var filmStageProbability = 0.0
    public var filmDamage = FilmDamageSampler()
    public var codecGenerations = CodecGenerationSampler()

    public init(scale: Int = 4) { self.scale = scale }

    public struct Result {
        public var image: Tensor
        /// The steps in order, e.g. "blur gaussian(sigmaX: 1.2, ...) 13x13", "jpeg 61".
        public var steps: [String]
    }

    public func apply(to clean: Tensor, seed: UInt64) throws -> Result {
        var run = DegradationRun(clean, seed: seed)
        let targetHeight = clean.shape.height / scale, targetWidth = clean.shape.width / scale
        // The film stage draws from its own generator, so that the Real-ESRGAN steps of a seed
        // are the same with or without it.
        var filmGenerator = SeededGenerator(seed: seed ^ 0xF11A_57A6_E5EE_D000)
        let withFilm = Double.random(in: 0..<1, using: &filmGenerator) < filmStageProbability

        // Stage 1: always blurred.
        run.blur(BlurKernelSampler())
        run.randomResize(probabilities: (0.2, 0.7), range: 0.15...1.5)
        run.noise(gaussianSigma: 1...30, poissonScale: 0.05...3)
        if withFilm {
            for damage in filmDamage.sample(height: run.height, width: run.width, using: &filmGenerator) { run.damage(damage) }
        }
        try run.jpeg(30...95)

        // Stage 2: blurred with probability 0.8, milder.
        var secondBlur = BlurKernelSampler()
        secondBlur.sigma = 0.2...1.5
        if Double.random(in: 0..<1, using: &run.generator) < 0.8 { run.blur(secondBlur) }
        run.randomResize(probabilities: (0.3, 0.4), range: 0.3...1.2)
        run.noise(gaussianSigma: 1...25, poissonScale: 0.05...2.5)

        // Final: resize to the target with a sinc filter (p 0.8), before or after the last JPEG.
        if Bool.random(using: &run.generator) {
            run.resize(height: targetHeight, width: targetWidth)
            run.finalSinc()
            try run.jpeg(30...95)
        } else {
            try run.jpeg(30...95)
            run.resize(height: targetHeight, width: targetWidth)
            run.finalSinc()
        }
        if withFilm {
            for generation in codecGenerations.sample(using: &filmGenerator) { try run.codecGeneration(generation) }
        }
        return Result(image: run.image, steps: run.steps)
    }
}
