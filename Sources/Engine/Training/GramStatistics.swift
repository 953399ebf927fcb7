import COpenBLAS

/// Channel-correlation statistics of a feature map, for comparing what two encoders see in a
/// picture ("High-Resolution Be Aware!"'s feature alignment): (n, C, h, w) -> (n, 2C, 1, 1).
///
/// Each channel's map is first scaled to unit root mean square over the plane (not centred),
/// so that Gram[i, j] = mean over pixels of the two scaled maps' product is the cosine
/// similarity of channels i and j. Why: channel magnitudes of a fixed encoder span orders of
/// magnitude and a trainable encoder's scale is arbitrary, so raw Grams would be dominated by a
/// few loud channels; ReLU maps carry their signal in where they fire, which centring would
/// discard. Gram[i, i] is then always 1, so the statistics leave the diagonal out.
/// Outputs: channels 0..<C the mean over j != i of Gram[i, j]; channels C..<2C the max over
/// j != i (its gradient goes to the arg max alone, like max pooling's).
public final class GramStatistics: Layer {
    /// Added to each channel's mean square: a silent (all-zero) channel maps to zeros, smoothly.
    public static let epsilon: Float = 1e-6
    public init() {}

    public var kind: String { "GramStatistics" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs[0].channels >= 2 else { throw EngineError("needs at least 2 channels, got \(inputs[0].channels)") }
        return [Shape(inputs[0].batch, 2 * inputs[0].channels, 1, 1)]
    }

    /// Item `n`'s channels scaled to unit RMS into `scaled` (C x P), the RMS of each into `rms`,
    /// and their Gram matrix (C x C) into `gram`.
    private func correlate(_ input: Tensor, item n: Int, scaled: Tensor, rms: Tensor, gram: Tensor) {
        let channels = input.shape.channels, plane = input.shape.planeSize
        for c in 0..<channels {
            let x = input.plane(n, c), y = scaled.data + c * plane
            var sum: Float = 0
            for p in 0..<plane { sum += x[p] * x[p] }
            let root = (sum / Float(plane) + Self.epsilon).squareRoot()
            rms.data[c] = root
            for p in 0..<plane { y[p] = x[p] / root }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(channels), Int32(channels), Int32(plane),
                    1 / Float(plane), scaled.data, Int32(plane), scaled.data, Int32(plane), 0, gram.data, Int32(channels))
    }

    /// Column of the largest off-diagonal entry of row i (the first, on ties).
    private func argMax(_ gram: Tensor, row i: Int) -> Int {
        let channels = gram.shape.width, row = gram.data + i * channels
        var best = i == 0 ? 1 : 0
        for j in 0..<channels where j != i && row[j] > row[best] { best = j }
        return best
    }

    /// Per-item scratch (C x P and C x C: small, so allocated per call, not kept).
    private func scratch(_ shape: Shape) -> (scaled: Tensor, rms: Tensor, gram: Tensor) {
        (Tensor(Shape(1, 1, shape.channels, shape.planeSize)), Tensor(Shape(1, 1, 1, shape.channels)),
         Tensor(Shape(1, 1, shape.channels, shape.channels)))
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0], output = outputs[0]
        let channels = input.shape.channels
        let (scaled, rms, gram) = scratch(input.shape)
        for n in 0..<input.shape.batch {
            correlate(input, item: n, scaled: scaled, rms: rms, gram: gram)
            for i in 0..<channels {
                let row = gram.data + i * channels
                var sum: Float = 0
                for j in 0..<channels where j != i { sum += row[j] }
                output[n, i, 0, 0] = sum / Float(channels - 1)
                output[n, channels + i, 0, 0] = row[argMax(gram, row: i)]
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let input = inputs[0], upstream = outputGradients[0]
        let channels = input.shape.channels, plane = input.shape.planeSize
        let (scaled, rms, gram) = scratch(input.shape)
        let gramGradient = Tensor(gram.shape), scaledGradient = Tensor(scaled.shape)
        // Raw pointers into the scratch tensors are read below: keep them alive until the end.
        withExtendedLifetime((scaled, rms, gram, gramGradient, scaledGradient)) {
            for n in 0..<input.shape.batch {
                correlate(input, item: n, scaled: scaled, rms: rms, gram: gram)
                // dL/dGram[i, j]: the mean's share off the diagonal, plus the max's at the arg max.
                let d = gramGradient.data
                gramGradient.fill(0)
                for i in 0..<channels {
                    let meanShare = upstream[n, i, 0, 0] / Float(channels - 1)
                    for j in 0..<channels where j != i { d[i * channels + j] = meanShare }
                    d[i * channels + argMax(gram, row: i)] += upstream[n, channels + i, 0, 0]
                }
                // Gram[i, j] reads rows i and j of the scaled maps: dScaled = (D + D^T) scaled / P.
                for i in 0..<channels {
                    for j in (i + 1)..<channels {
                        let symmetric = d[i * channels + j] + d[j * channels + i]
                        d[i * channels + j] = symmetric
                        d[j * channels + i] = symmetric
                    }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(channels), Int32(plane), Int32(channels),
                            1 / Float(plane), d, Int32(channels), scaled.data, Int32(plane), 0, scaledGradient.data, Int32(plane))
                // Through y = x / rms(x): dx = (dy - y * mean(dy * y)) / rms.
                for c in 0..<channels {
                    let y = scaled.data + c * plane, dy = scaledGradient.data + c * plane, dx = inputGradient.plane(n, c)
                    var projection: Float = 0
                    for p in 0..<plane { projection += dy[p] * y[p] }
                    projection /= Float(plane)
                    for p in 0..<plane { dx[p] += (dy[p] - y[p] * projection) / rms.data[c] }
                }
            }
        }
    }
}
