import Engine
import Foundation
import Pipeline

/// The additive noises of Real-ESRGAN's degradation model, on images in [0, 1]. Colour noise
/// draws independently per channel; grey noise draws once per pixel and adds it to every channel.
public enum Noise: Equatable, Sendable {
    /// Gaussian with standard deviation `sigma` on the 0-255 scale.
    case gaussian(sigma: Double, grey: Bool)
    /// Shot noise: the image as photon counts (2^ceil(log2(levels)) per unit, levels = distinct
    /// 8-bit values in the image, as basicsr does), drawn from Poisson, scaled by `scale`.
    case poisson(scale: Double, grey: Bool)

    /// Returns `image` plus noise, clamped to [0, 1].
    public func apply(to image: Tensor, using generator: inout SeededGenerator) -> Tensor {
        let shape = image.shape
        let output = image.copy()
        switch self {
        case .gaussian(let sigma, let grey):
            let deviation = Float(sigma / 255)
            for n in 0..<shape.batch {
                let draws = grey ? (0..<shape.planeSize).map { _ in Float(generator.nextNormal()) * deviation } : []
                for c in 0..<shape.channels {
                    let plane = output.plane(n, c)
                    for i in 0..<shape.planeSize {
                        plane[i] += grey ? draws[i] : Float(generator.nextNormal()) * deviation
                    }
                }
            }
        case .poisson(let scale, let grey):
            for n in 0..<shape.batch {
                if grey {
                    // Luma (BT.601 weights, as cv2's RGB2GRAY), noised once, added to every channel.
                    var luma = [Float](repeating: 0, count: shape.planeSize)
                    let (r, g, b) = (image.plane(n, 0), image.plane(n, 1), image.plane(n, 2))
                    for i in 0..<shape.planeSize { luma[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i] }
                    let noise = Self.shotNoise(luma, scale: scale, using: &generator)
                    for c in 0..<shape.channels {
                        let plane = output.plane(n, c)
                        for i in 0..<shape.planeSize { plane[i] += noise[i] }
                    }
                } else {
                    for c in 0..<shape.channels {
                        let plane = output.plane(n, c)
                        let noise = Self.shotNoise(Array(UnsafeBufferPointer(start: image.plane(n, c), count: shape.planeSize)),
                                                   scale: scale, using: &generator)
                        for i in 0..<shape.planeSize { plane[i] += noise[i] }
                    }
                }
            }
        }
        output.clamp()
        return output
    }

    static func shotNoise(_ values: [Float], scale: Double, using generator: inout SeededGenerator) -> [Float] {
        let quantised = values.map { (min(1, max(0, $0)) * 255).rounded() / 255 }
        let levels = Double(Set(quantised).count)
        let counts = pow(2, (log2(max(levels, 2))).rounded(.up))
        return quantised.map { value in
            let drawn = Double(poisson(Double(value) * counts, &generator)) / counts
            return Float((drawn - Double(value)) * scale)
        }
    }

    /// A Poisson draw: Knuth's product method for small means, a rounded normal above 30.
    static func poisson(_ mean: Double, _ generator: inout SeededGenerator) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * generator.nextNormal()).rounded())) }
        let limit = exp(-mean)
        var count = 0, product = Double.random(in: 0..<1, using: &generator)
        while product > limit {
            count += 1
            product *= Double.random(in: 0..<1, using: &generator)
        }
        return count
    }
}
