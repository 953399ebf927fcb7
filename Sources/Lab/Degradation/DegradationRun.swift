import Engine
import Foundation
import Media
import Pipeline

/// One degradation in progress: the picture, the seeded generator every random choice draws
/// from, and the steps taken so far as readable text. The second-order pipeline and the
/// training families are sequences of these steps, so each step is written (and recorded) once.
struct DegradationRun {
    private(set) var image: Tensor
    var generator: SeededGenerator
    private(set) var steps: [String] = []

    init(_ image: Tensor, seed: UInt64) {
        precondition(image.shape.batch == 1 && image.shape.channels == 3, "one RGB picture at a time")
        self.image = image
        generator = SeededGenerator(seed: seed)
    }

    var height: Int { image.shape.height }
    var width: Int { image.shape.width }

    mutating func blur(_ sampler: BlurKernelSampler) {
        let (kernel, size) = sampler.sample(using: &generator)
        blur(kernel, size: size)
    }

    mutating func blur(_ kernel: BlurKernel, size: Int) {
        steps.append("blur \(kernel) \(size)x\(size)")
        image = KernelFilter.apply(kernel.weights(size: size), size: size, to: image)
    }

    /// Up with probability `up`, down with probability `down`, else kept; a random resampler.
    mutating func randomResize(probabilities: (up: Double, down: Double), range: ClosedRange<Double>) {
        let draw = Double.random(in: 0..<1, using: &generator)
        let factor: Double
        if draw < probabilities.up {
            factor = Double.random(in: 1...range.upperBound, using: &generator)
        } else if draw < probabilities.up + probabilities.down {
            factor = Double.random(in: range.lowerBound...1, using: &generator)
        } else {
            factor = 1
        }
        resize(height: max(8, Int((Double(height) * factor).rounded())), width: max(8, Int((Double(width) * factor).rounded())))
    }

    /// To an exact size with a resampler drawn among area, bilinear and bicubic.
    mutating func resize(height: Int, width: Int) {
        let method = [Resize.Method.area, .bilinear, .bicubic].randomElement(using: &generator)!
        guard height != self.height || width != self.width else { return }
        steps.append("resize \(method) to \(width)x\(height)")
        let output = Tensor(Shape(1, 3, height, width))
        Resize(method, .fixed(height: height, width: width)).forward([image], [output])
        image = output
    }

    /// Gaussian (p 0.5) or Poisson noise, grey with p 0.4, as Real-ESRGAN draws it.
    mutating func noise(gaussianSigma: ClosedRange<Double>, poissonScale: ClosedRange<Double>) {
        let grey = Double.random(in: 0..<1, using: &generator) < 0.4
        let noise: Noise = Bool.random(using: &generator)
            ? .gaussian(sigma: Double.random(in: gaussianSigma, using: &generator), grey: grey)
            : .poisson(scale: Double.random(in: poissonScale, using: &generator), grey: grey)
        steps.append("noise \(noise)")
        image = noise.apply(to: image, using: &generator)
    }

    mutating func jpeg(_ qualities: ClosedRange<Int>) throws {
        let quality = Int.random(in: qualities, using: &generator)
        steps.append("jpeg \(quality)")
        image = Tensor(try JPEGRoundTrip.apply(RGBImage(image), quality: quality))
    }

    /// Real-ESRGAN's closing sinc filter (ringing), with probability 0.8.
    mutating func finalSinc() {
        guard Double.random(in: 0..<1, using: &generator) < 0.8 else { return }
        let size = 2 * Int.random(in: 3...10, using: &generator) + 1
        let cutoff = Double.random(in: (Double.pi / 3)...Double.pi, using: &generator)
        blur(.sinc(cutoff: cutoff), size: size)
    }

    mutating func damage(_ damage: FilmDamage) {
        steps.append("film \(damage)")
        image = damage.apply(to: image)
    }

    /// One generation through a real video encoder, the still as a one-frame clip. 4:2:0 codecs
    /// need even sides: an odd last row or column is repeated for the encoder and dropped after.
    mutating func codecGeneration(_ generation: CodecGenerationSampler.Generation) throws {
        steps.append("codec \(generation)")
        let evenHeight = (height + 1) / 2 * 2, evenWidth = (width + 1) / 2 * 2
        let padded = Tensor(Shape(1, 3, evenHeight, evenWidth))
        for c in 0..<3 {
            let source = image.plane(0, c), target = padded.plane(0, c)
            for y in 0..<evenHeight {
                for x in 0..<evenWidth { target[y * evenWidth + x] = source[min(y, height - 1) * width + min(x, width - 1)] }
            }
        }
        let frame = RGBImage(padded)
        let settings = generation.encoderSettings(width: evenWidth, height: evenHeight)
        let decoded = Tensor(try CodecGeneration.apply([frame], settings: settings, frameRate: CodecGenerationSampler.frameRate)[0])
        let output = Tensor(Shape(1, 3, height, width))
        for c in 0..<3 {
            let source = decoded.plane(0, c), target = output.plane(0, c)
            for y in 0..<height {
                for x in 0..<width { target[y * width + x] = source[y * evenWidth + x] }
            }
        }
        output.clamp()
        image = output
    }
}
