import Engine
import Foundation
import Media

/// Real-ESRGAN's second-order degradation (RESEARCH.md section 2): two rounds of
/// blur -> random resize -> noise -> JPEG, then a final resize to the target size with an
/// optional sinc filter, in either order with the last JPEG. Every random choice comes from
/// the seed, and every step taken is written into the record, so that a training pair can be
/// reproduced and its degradation studied.
public struct SecondOrderDegradation: Sendable {
    /// Output size = input size / scale.
    public var scale: Int

    public init(scale: Int = 4) { self.scale = scale }

    public struct Result {
        public var image: Tensor
        /// The steps in order, e.g. "blur gaussian(sigmaX: 1.2, ...) 13x13", "jpeg 61".
        public var steps: [String]
    }

    public func apply(to clean: Tensor, seed: UInt64) throws -> Result {
        precondition(clean.shape.batch == 1 && clean.shape.channels == 3, "one RGB picture at a time")
        var generator = SeededGenerator(seed: seed)
        var steps: [String] = []
        var image = clean
        let targetHeight = clean.shape.height / scale, targetWidth = clean.shape.width / scale

        // Stage 1: always blurred.
        image = blur(image, BlurKernelSampler(), &generator, &steps)
        image = try randomResize(image, probabilities: (0.2, 0.7), range: 0.15...1.5, &generator, &steps)
        image = noise(image, gaussianSigma: 1...30, poissonScale: 0.05...3, &generator, &steps)
        image = try jpeg(image, 30...95, &generator, &steps)

        // Stage 2: blurred with probability 0.8, milder.
        var secondBlur = BlurKernelSampler()
        secondBlur.sigma = 0.2...1.5
        if Double.random(in: 0..<1, using: &generator) < 0.8 { image = blur(image, secondBlur, &generator, &steps) }
        image = try randomResize(image, probabilities: (0.3, 0.4), range: 0.3...1.2, &generator, &steps)
        image = noise(image, gaussianSigma: 1...25, poissonScale: 0.05...2.5, &generator, &steps)

        // Final: resize to the target with a sinc filter (p 0.8), before or after the last JPEG.
        if Bool.random(using: &generator) {
            image = resize(image, height: targetHeight, width: targetWidth, &generator, &steps)
            image = finalSinc(image, &generator, &steps)
            image = try jpeg(image, 30...95, &generator, &steps)
        } else {
            image = try jpeg(image, 30...95, &generator, &steps)
            image = resize(image, height: targetHeight, width: targetWidth, &generator, &steps)
            image = finalSinc(image, &generator, &steps)
        }
        return Result(image: image, steps: steps)
    }

    private func blur(_ image: Tensor, _ sampler: BlurKernelSampler, _ generator: inout SeededGenerator, _ steps: inout [String]) -> Tensor {
        let (kernel, size) = sampler.sample(using: &generator)
        steps.append("blur \(kernel) \(size)x\(size)")
        return KernelFilter.apply(kernel.weights(size: size), size: size, to: image)
    }

    /// Up with probability `up`, down with probability `down`, else kept; a random resampler.
    private func randomResize(_ image: Tensor, probabilities: (up: Double, down: Double), range: ClosedRange<Double>,
                              _ generator: inout SeededGenerator, _ steps: inout [String]) throws -> Tensor {
        let draw = Double.random(in: 0..<1, using: &generator)
        let factor: Double
        if draw < probabilities.up {
            factor = Double.random(in: 1...range.upperBound, using: &generator)
        } else if draw < probabilities.up + probabilities.down {
            factor = Double.random(in: range.lowerBound...1, using: &generator)
        } else {
            factor = 1
        }
        let height = max(8, Int((Double(image.shape.height) * factor).rounded()))
        let width = max(8, Int((Double(image.shape.width) * factor).rounded()))
        return resize(image, height: height, width: width, &generator, &steps)
    }

    private func resize(_ image: Tensor, height: Int, width: Int, _ generator: inout SeededGenerator, _ steps: inout [String]) -> Tensor {
        let method = [Resize.Method.area, .bilinear, .bicubic].randomElement(using: &generator)!
        guard height != image.shape.height || width != image.shape.width else { return image }
        steps.append("resize \(method) to \(width)x\(height)")
        let layer = Resize(method, .fixed(height: height, width: width))
        let output = Tensor(Shape(1, 3, height, width))
        layer.forward([image], [output])
        return output
    }

    private func noise(_ image: Tensor, gaussianSigma: ClosedRange<Double>, poissonScale: ClosedRange<Double>,
                       _ generator: inout SeededGenerator, _ steps: inout [String]) -> Tensor {
        let gray = Double.random(in: 0..<1, using: &generator) < 0.4
        let noise: Noise = Bool.random(using: &generator)
            ? .gaussian(sigma: Double.random(in: gaussianSigma, using: &generator), gray: gray)
            : .poisson(scale: Double.random(in: poissonScale, using: &generator), gray: gray)
        steps.append("noise \(noise)")
        return noise.apply(to: image, using: &generator)
    }

    private func jpeg(_ image: Tensor, _ qualities: ClosedRange<Int>, _ generator: inout SeededGenerator, _ steps: inout [String]) throws -> Tensor {
        let quality = Int.random(in: qualities, using: &generator)
        steps.append("jpeg \(quality)")
        return Tensor(try JPEGRoundTrip.apply(RGBImage(image), quality: quality))
    }

    private func finalSinc(_ image: Tensor, _ generator: inout SeededGenerator, _ steps: inout [String]) -> Tensor {
        guard Double.random(in: 0..<1, using: &generator) < 0.8 else { return image }
        let size = 2 * Int.random(in: 3...10, using: &generator) + 1
        let cutoff = Double.random(in: (Double.pi / 3)...Double.pi, using: &generator)
        steps.append("blur \(BlurKernel.sinc(cutoff: cutoff)) \(size)x\(size)")
        return KernelFilter.apply(BlurKernel.sinc(cutoff: cutoff).weights(size: size), size: size, to: image)
    }
}
