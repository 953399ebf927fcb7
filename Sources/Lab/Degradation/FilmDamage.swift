import Engine
import Foundation
import Pipeline

/// What old film adds on top of the camera-and-codec model: grain, flicker, dust and
/// scratches. Each case holds all its parameters, so a sample can record exactly what was done.
public enum FilmDamage: Equatable, Sendable {
    /// Silver grain: noise of standard deviation `strength` at mid-grey, weaker in the shadows
    /// and highlights (it follows v (1 - v)), spatially correlated over about `size` pixels,
    /// the same in every channel (black-and-white stock) when `monochrome`.
    case grain(strength: Double, size: Double, monochrome: Bool, seed: UInt64)
    /// The whole frame brighter or darker by a factor, as uneven exposure and projector lamps do.
    case flicker(gain: Double)
    /// Specks of dirt (dark) and of emulsion loss (bright): `count` discs of radius 0.5-`radius`.
    case dust(count: Int, radius: Double, seed: UInt64)
    /// A vertical scratch at column `x`, `width` pixels wide, dark or bright by `strength`.
    case scratch(x: Double, width: Double, strength: Double)

    public func apply(to image: Tensor) -> Tensor {
        let shape = image.shape
        let output = image.copy()
        switch self {
        case .grain(let strength, let size, let monochrome, let seed):
            var generator = SeededGenerator(seed: seed)
            let planes = monochrome ? 1 : shape.channels
            // Correlate white noise with a Gaussian, then restore unit variance (blurring shrinks it by sqrt(sum w^2)).
            let kernelSize = max(1, Int((2 * size).rounded()) | 1)
            let weights = BlurKernel.gaussian(sigmaX: max(size / 2, 0.3), sigmaY: max(size / 2, 0.3), angle: 0).weights(size: kernelSize)
            let gain = 1 / weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for n in 0..<shape.batch {
                let field = Tensor(Shape(1, planes, shape.height, shape.width))
                for i in 0..<field.count { field.data[i] = Float(generator.nextNormal()) }
                let grain = KernelFilter.apply(weights, size: kernelSize, to: field)
                for c in 0..<shape.channels {
                    let plane = output.plane(n, c), noise = grain.plane(0, monochrome ? 0 : c)
                    for i in 0..<shape.planeSize {
                        let v = min(1, max(0, plane[i]))
                        plane[i] += Float(strength) * 4 * v * (1 - v) * gain * noise[i]
                    }
                }
            }
        case .flicker(let gain):
            for i in 0..<output.count { output.data[i] *= Float(gain) }
        case .dust(let count, let radius, let seed):
            var generator = SeededGenerator(seed: seed)
            for n in 0..<shape.batch {
                for _ in 0..<count {
                    let cx = Double.random(in: 0..<Double(shape.width), using: &generator)
                    let cy = Double.random(in: 0..<Double(shape.height), using: &generator)
                    let r = Double.random(in: 0.5...max(0.5, radius), using: &generator)
                    let value: Float = Bool.random(using: &generator) ? 0.05 : 0.95
                    for y in max(0, Int(cy - r))...min(shape.height - 1, Int(cy + r)) {
                        for x in max(0, Int(cx - r))...min(shape.width - 1, Int(cx + r)) {
                            let distance = ((Double(x) + 0.5 - cx) * (Double(x) + 0.5 - cx) + (Double(y) + 0.5 - cy) * (Double(y) + 0.5 - cy)).squareRoot()
                            guard distance <= r else { continue }
                            for c in 0..<shape.channels { output[n, c, y, x] = value }
                        }
                    }
                }
            }
        case .scratch(let x, let width, let strength):
            for column in 0..<shape.width {
                // A soft-edged line: full strength at its centre, fading over its width.
                let weight = max(0, 1 - abs(Double(column) + 0.5 - x) / max(width, 0.5))
                guard weight > 0 else { continue }
                for n in 0..<shape.batch {
                    for c in 0..<shape.channels {
                        for y in 0..<shape.height { output[n, c, y, column] += Float(strength * weight) }
                    }
                }
            }
        }
        output.clamp()
        return output
    }
}
