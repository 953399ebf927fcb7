import Engine
import Foundation
import Pipeline

/// The blur kernels of Real-ESRGAN's degradation model (Wang et al. 2021, basicsr's
/// degradations.py), as odd-sized square weight tables that sum to 1.
///
/// Gaussian-family kernels are defined by a covariance built from two standard deviations and
/// a rotation; with d = [x y] Sigma^-1 [x y]^T:
///   gaussian:    exp(-d / 2)
///   generalised: exp(-(d)^beta / 2)      (beta < 1 heavier tails, > 1 flatter top)
///   plateau:     1 / (1 + d^beta)
/// sinc is the ideal circular low-pass, w J1(w r) / (2 pi r), which models ringing.
public enum BlurKernel: Equatable, Sendable {
    case gaussian(sigmaX: Double, sigmaY: Double, angle: Double)
    case generalized(sigmaX: Double, sigmaY: Double, angle: Double, beta: Double)
    case plateau(sigmaX: Double, sigmaY: Double, angle: Double, beta: Double)
    case sinc(cutoff: Double)

    /// Weights of a size x size kernel (size odd), row-major, summing to 1.
    public func weights(size: Int) -> [Float] {
        precondition(size % 2 == 1 && size > 0, "blur kernels have an odd size")
        let radius = size / 2
        var values = [Double](repeating: 0, count: size * size)
        for y in -radius...radius {
            for x in -radius...radius {
                values[(y + radius) * size + x + radius] = value(x: Double(x), y: Double(y))
            }
        }
        let total = values.reduce(0, +)
        return values.map { Float($0 / total) }
    }

    private func value(x: Double, y: Double) -> Double {
        switch self {
        case .gaussian(let sx, let sy, let angle):
            return exp(-0.5 * Self.mahalanobis(x, y, sx, sy, angle))
        case .generalized(let sx, let sy, let angle, let beta):
            return exp(-0.5 * pow(Self.mahalanobis(x, y, sx, sy, angle), beta))
        case .plateau(let sx, let sy, let angle, let beta):
            return 1 / (1 + pow(Self.mahalanobis(x, y, sx, sy, angle), beta))
        case .sinc(let cutoff):
            let r = (x * x + y * y).squareRoot()
            // The limit at r = 0 is w^2 / (4 pi).
            return r == 0 ? cutoff * cutoff / (4 * Double.pi) : cutoff * j1(cutoff * r) / (2 * Double.pi * r)
        }
    }

    /// [x y] Sigma^-1 [x y]^T for Sigma = R diag(sx^2, sy^2) R^T with R a rotation by `angle`:
    /// rotate the point into the kernel's axes and scale each axis.
    private static func mahalanobis(_ x: Double, _ y: Double, _ sx: Double, _ sy: Double, _ angle: Double) -> Double {
        let u = cos(angle) * x + sin(angle) * y
        let v = -sin(angle) * x + cos(angle) * y
        return u * u / (sx * sx) + v * v / (sy * sy)
    }
}

/// Draws blur kernels with Real-ESRGAN's published first-stage settings (Wang et al., ICCVW 2021: options/train_realesrgan_x4plus.yml).
public struct BlurKernelSampler: Sendable {
    /// Standard deviation range; the second stage uses 0.2...1.5.
    public var sigma: ClosedRange<Double> = 0.2...3
    public var sizes: ClosedRange<Int> = 7...21
    public var sincProbability = 0.1

    public init() {}

    /// A kernel and its (odd) size.
    public func sample(using generator: inout SeededGenerator) -> (kernel: BlurKernel, size: Int) {
        let size = 2 * Int.random(in: (sizes.lowerBound / 2)...(sizes.upperBound / 2), using: &generator) + 1
        if Double.random(in: 0..<1, using: &generator) < sincProbability {
            let cutoff = size < 13 ? Double.random(in: (Double.pi / 3)...Double.pi, using: &generator)
                                   : Double.random(in: (Double.pi / 5)...Double.pi, using: &generator)
            return (.sinc(cutoff: cutoff), size)
        }
        // iso, aniso, generalised iso/aniso, plateau iso/aniso with p = .45 .25 .12 .03 .12 .03
        let draw = Double.random(in: 0..<1, using: &generator)
        let sx = Double.random(in: sigma, using: &generator)
        let sy = Double.random(in: sigma, using: &generator)
        let angle = Double.random(in: -Double.pi...Double.pi, using: &generator)
        let generalizedBeta = Double.random(in: 0.5...4, using: &generator)
        let plateauBeta = Double.random(in: 1...2, using: &generator)
        switch draw {
        case ..<0.45: return (.gaussian(sigmaX: sx, sigmaY: sx, angle: 0), size)
        case ..<0.70: return (.gaussian(sigmaX: sx, sigmaY: sy, angle: angle), size)
        case ..<0.82: return (.generalized(sigmaX: sx, sigmaY: sx, angle: 0, beta: generalizedBeta), size)
        case ..<0.85: return (.generalized(sigmaX: sx, sigmaY: sy, angle: angle, beta: generalizedBeta), size)
        case ..<0.97: return (.plateau(sigmaX: sx, sigmaY: sx, angle: 0, beta: plateauBeta), size)
        default: return (.plateau(sigmaX: sx, sigmaY: sy, angle: angle, beta: plateauBeta), size)
        }
    }
}
