import Foundation

/// One LPIPS tap: the distance between two feature maps of one shape, per batch item,
///   mean over pixels of sum_c w_c (u0_c - u1_c)^2,   u = f / (sqrt(sum_c f_c^2) + 1e-10),
/// i.e. unit-normalisation over channels, squared difference, the v0.1 linear head (a 1x1
/// convolution C -> 1 without bias) and the spatial mean. Inputs (f0, f1), output N x 1 x 1 x 1.
public final class LPIPSDistance: Layer {
    static let epsilon: Float = 1e-10

    /// The linear head, 1 x C x 1 x 1, frozen.
    public let weight: Parameter
    /// Per pixel of one batch item, reused between calls: each input's norm over channels and
    /// 1 / (norm + eps), and the dot product the backward pass needs.
    private var norms = [Tensor(Shape(1, 1, 1, 1)), Tensor(Shape(1, 1, 1, 1))]
    private var inverseNorms = [Tensor(Shape(1, 1, 1, 1)), Tensor(Shape(1, 1, 1, 1))]
    private var dots = Tensor(Shape(1, 1, 1, 1))

    public init(name: String, channels: Int) {
        weight = Parameter(name: name, Tensor(Shape(1, channels, 1, 1)), trainable: false)
    }

    public var kind: String { "LPIPSDistance" }
    public var parameters: [Parameter] { [weight] }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == 2, inputs[0] == inputs[1] else { throw EngineError("compares two feature maps of one shape, got \(inputs)") }
        guard inputs[0].channels == weight.shape.channels else {
            throw EngineError("expects \(weight.shape.channels) channels, got \(inputs[0].channels)")
        }
        return [Shape(inputs[0].batch, 1, 1, 1)]
    }

    /// Fills `norms` and `inverseNorms` for batch item `n` of both inputs.
    private func measure(_ inputs: [Tensor], item n: Int) {
        let shape = inputs[0].shape
        let size = shape.planeSize
        if dots.count != size {
            norms = [Tensor(Shape(1, 1, 1, size)), Tensor(Shape(1, 1, 1, size))]
            inverseNorms = [Tensor(Shape(1, 1, 1, size)), Tensor(Shape(1, 1, 1, size))]
            dots = Tensor(Shape(1, 1, 1, size))
        }
        for side in 0..<2 {
            let norm = norms[side].data, inverse = inverseNorms[side].data
            norm.update(repeating: 0, count: size)
            for c in 0..<shape.channels {
                let f = inputs[side].plane(n, c)
                for i in 0..<size { norm[i] += f[i] * f[i] }
            }
            for i in 0..<size {
                norm[i] = norm[i].squareRoot()
                inverse[i] = 1 / (norm[i] + Self.epsilon)
            }
        }
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let shape = inputs[0].shape
        let size = shape.planeSize
        var perPixel = [Double](repeating: 0, count: size)
        for n in 0..<shape.batch {
            measure(inputs, item: n)
            let inverse0 = inverseNorms[0].data, inverse1 = inverseNorms[1].data
            for i in 0..<size { perPixel[i] = 0 }
            for c in 0..<shape.channels {
                let f0 = inputs[0].plane(n, c), f1 = inputs[1].plane(n, c)
                let w = weight.value.data[c]
                for i in 0..<size {
                    let difference = f0[i] * inverse0[i] - f1[i] * inverse1[i]
                    perPixel[i] += Double(w * difference * difference)
                }
            }
            outputs[0].data[n] = Float(perPixel.reduce(0, +) / Double(size))
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let shape = inputs[0].shape
        let size = shape.planeSize
        for n in 0..<shape.batch {
            measure(inputs, item: n)
            let inverse0 = inverseNorms[0].data, inverse1 = inverseNorms[1].data, dot = dots.data
            let upstream = outputGradients[0].data[n] / Float(size)
            for side in 0..<2 {
                guard let gradient = inputGradients[side] else { continue }
                // g_c = d/du_c = sign * 2 w_c (u0_c - u1_c) * upstream; through u = f / (|f| + eps):
                //   df_k = g_k / (|f| + eps) - f_k (g . f) / (|f| (|f| + eps)^2)   (second term 0 where f = 0).
                let sign: Float = side == 0 ? 1 : -1
                let features = inputs[side]
                let norm = norms[side].data, inverse = inverseNorms[side].data
                func headGradient(_ c: Int) -> (Int) -> Float {
                    let f0 = inputs[0].plane(n, c), f1 = inputs[1].plane(n, c)
                    let scale = sign * 2 * weight.value.data[c] * upstream
                    return { i in scale * (f0[i] * inverse0[i] - f1[i] * inverse1[i]) }
                }
                dot.update(repeating: 0, count: size)
                for c in 0..<shape.channels {
                    let g = headGradient(c), f = features.plane(n, c)
                    for i in 0..<size { dot[i] += g(i) * f[i] }
                }
                for i in 0..<size { dot[i] = norm[i] > 0 ? dot[i] * inverse[i] * inverse[i] / norm[i] : 0 }
                for c in 0..<shape.channels {
                    let g = headGradient(c), f = features.plane(n, c), df = gradient.plane(n, c)
                    for i in 0..<size { df[i] += g(i) * inverse[i] - f[i] * dot[i] }
                }
            }
        }
    }
}
