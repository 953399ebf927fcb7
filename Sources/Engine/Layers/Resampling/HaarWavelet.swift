/// One level of the orthonormal 2-D Haar wavelet transform. Each 2x2 block [a b; c d] of each
/// channel becomes four coefficients, stored as four channel groups of the output:
///   LL = (a + b + c + d) / 2   (the block's mean, x2)
///   LH = (a + b - c - d) / 2   (top minus bottom: horizontal edges)
///   HL = (a - b + c - d) / 2   (left minus right: vertical edges)
///   HH = (a - b - c + d) / 2   (diagonal detail)
/// Output channel `band * C + c` holds band (0 LL, 1 LH, 2 HL, 3 HH) of input channel c.
/// The transform is orthonormal, so its backward pass is its inverse. Odd sizes are refused.
public final class HaarWavelet: Layer {
    public init() {}
    public var kind: String { "HaarWavelet" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let s = inputs[0]
        guard s.height % 2 == 0 && s.width % 2 == 0 else { throw EngineError("Haar transform needs even sizes, got \(s.height)x\(s.width)") }
        return [Shape(s.batch, 4 * s.channels, s.height / 2, s.width / 2)]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0], output = outputs[0], s = input.shape
        for n in 0..<s.batch {
            for c in 0..<s.channels {
                let x = input.plane(n, c)
                let bands = (0..<4).map { output.plane(n, $0 * s.channels + c) }
                for y in 0..<(s.height / 2) {
                    for xx in 0..<(s.width / 2) {
                        let top = x + 2 * y * s.width + 2 * xx, bottom = top + s.width
                        let (a, b, cc, d) = (top[0], top[1], bottom[0], bottom[1])
                        let o = y * (s.width / 2) + xx
                        bands[0][o] = (a + b + cc + d) * 0.5
                        bands[1][o] = (a + b - cc - d) * 0.5
                        bands[2][o] = (a - b + cc - d) * 0.5
                        bands[3][o] = (a - b - cc + d) * 0.5
                    }
                }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let s = inputs[0].shape
        for n in 0..<s.batch {
            for c in 0..<s.channels {
                let dx = inputGradient.plane(n, c)
                let bands = (0..<4).map { outputGradients[0].plane(n, $0 * s.channels + c) }
                for y in 0..<(s.height / 2) {
                    for xx in 0..<(s.width / 2) {
                        let o = y * (s.width / 2) + xx
                        let (ll, lh, hl, hh) = (bands[0][o], bands[1][o], bands[2][o], bands[3][o])
                        let top = dx + 2 * y * s.width + 2 * xx, bottom = top + s.width
                        top[0] += (ll + lh + hl + hh) * 0.5
                        top[1] += (ll + lh - hl - hh) * 0.5
                        bottom[0] += (ll - lh + hl - hh) * 0.5
                        bottom[1] += (ll - lh - hl + hh) * 0.5
                    }
                }
            }
        }
    }
}
