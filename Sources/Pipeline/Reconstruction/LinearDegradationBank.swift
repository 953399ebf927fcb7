import Engine
import Foundation

/// The linear part of a degradation, as a bank of fixed blur-then-shrink operators that R
/// blends per picture with weights read from E's embedding: every shrink the synthesis draws
/// (area, bilinear, bicubic, Resize's conventions) after an isotropic Gaussian blur of each of
/// `sigmas` (HR pixels; 0 is no blur). The blur family, the film family's telecine softness
/// and every family's final resize are such operators, which the plain area shrink R used to
/// start from gets right only for an unblurred area shrink; a blend of the bank reaches the
/// blurs and resamplers in between, and R's convolutions are left the non-linear rest
/// (noise, JPEG, codecs), no longer a blur they would have to rebuild from pixels.
package struct LinearDegradationBank {
    static let methods: [Resize.Method] = [.area, .bilinear, .bicubic]
    /// Beyond the blur family's 3: the LR of codec generations and of the second-order
    /// pipeline is best matched (evaluate recon's "bank oracle") by blurs of sigma 6 to 10.
    static let sigmas: [Double] = [0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]

    /// "area", "bicubic blur 2.5", ... in the order of `filters`.
    package static var operatorNames: [String] {
        methods.flatMap { method in sigmas.map { sigma in sigma == 0 ? "\(method)" : "\(method) blur " + String(format: "%g", sigma) } }
    }

    let scale: Int
    /// One 1-D filter per (method, sigma), method-major; applied along both axes.
    package let filters: [[Float]]
    /// Where filter tap 0 sits relative to an output pixel's first HR pixel (scale * i).
    let origin: Int

    /// The operator the bank starts from: the plain area shrink (no blur).
    static let areaIndex = 0
    /// R's blend logits are its 1x1 convolution's output times this. Measured: unscaled, the
    /// start on the area shrink (logit 10) had moved by 0.01 after 500 steps at 1.5e-4, and
    /// R lagged the best single operator of the bank on codec and second-order pictures.
    static let logitScale: Float = 10

    package init(scale: Int) {
        self.scale = scale
        let responses = Self.methods.flatMap { method in
            let shrink = Self.shrinkTaps(method, scale: scale)
            return Self.sigmas.map { sigma in Self.convolve(shrink, Self.gaussian(sigma: sigma)) }
        }
        let first = responses.map { $0.keys.min()! }.min()!, last = responses.map { $0.keys.max()! }.max()!
        origin = first
        filters = responses.map { taps in (first...last).map { Float(taps[$0] ?? 0) } }
    }

    package var layer: StridedFilterBank { StridedFilterBank(filters: filters, origin: origin, stride: scale) }

    /// Resize's weights for one output pixel well inside the picture, by HR offset from
    /// scale * i, read off its response to single bright pixels.
    static func shrinkTaps(_ method: Resize.Method, scale: Int) -> [Int: Double] {
        let outputs = 16, inside = outputs / 2, length = outputs * scale
        var taps: [Int: Double] = [:]
        for position in 0..<length {
            let impulse = Tensor(Shape(1, 1, 1, length))
            impulse.buffer[position] = 1
            let weight = Resize.apply(method, to: impulse, height: 1, width: outputs).buffer[inside]
            if weight != 0 { taps[position - scale * inside] = Double(weight) }
        }
        return taps
    }

    /// BlurKernel's Gaussian along one axis: 3 sigma each way, summing to 1 (its isotropic 2-D
    /// kernel is the outer product of this one with itself).
    static func gaussian(sigma: Double) -> [Int: Double] {
        guard sigma > 0 else { return [0: 1] }
        let radius = GaussianSupport.side(sigma: sigma) / 2
        let values = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = values.reduce(0, +)
        return Dictionary(uniqueKeysWithValues: zip(-radius...radius, values.map { $0 / total }))
    }

    static func convolve(_ a: [Int: Double], _ b: [Int: Double]) -> [Int: Double] {
        var result: [Int: Double] = [:]
        for (i, x) in a {
            for (j, y) in b { result[i + j, default: 0] += x * y }
        }
        return result
    }
}
