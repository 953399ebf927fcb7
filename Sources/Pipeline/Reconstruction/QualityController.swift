import Engine

/// The HR-aware controller of "High-Resolution Be Aware!" (the follow-up to LWay).
///
/// The HR quality indicator HQI = LPIPS(bicubic_up(LR), y) says how far a candidate HR picture
/// y is from the plain enlargement of its LR: a true HR is far from it, an SR output that is
/// still degraded is close. The branch's head predicts from e = E(LR) the HQI that a true HR of
/// that LR has (it learns this in pretraining, fed the true HR). The extent
/// c = clamp(predicted / measured, 1, maximumExtent) then scales the degradation R applies:
///
///     R_c(y, e) = area(y) + c * (R(y, e) - area(y))
///
/// A y as far from the enlarged LR as a true HR gets c = 1, R as trained. An SR output still
/// close to the enlarged LR gets c > 1: R degrades it more than the film degraded the LR, so
/// the self-supervised loss stops rewarding a degraded output (the contradiction the paper
/// measured, and `lab evaluate recon` measures for our branch) and asks S for more restoration.
///
/// The paper scales the embedding given to R. Ours is scaled after R, where it has a meaning:
/// R's styles are demodulated, so a scaled embedding is something R never saw in training,
/// while R's departure from a plain area shrink is the degradation it models by construction.
public enum QualityController {
    public static let maximumExtent: Float = 2
    /// Predicted indicators are kept at least this large (a division follows).
    static let smallestIndicator: Float = 0.01

    /// embedding (n, embeddingSize, 1, 1) -> predicted HQI (n, 1, 1, 1): two 1x1 convolutions.
    static func buildHead(_ configuration: ReconstructionConfiguration, seed: UInt64) -> Graph {
        var builder = NetworkBuilder(prefix: "controller", seed: seed)
        var x = builder.input("embedding")
        x = builder.convolution(x, "hidden", from: configuration.embeddingSize, to: 32, kernel: 1, activation: .leakyReLU(slope: 0.1))
        // Starts predicting about 0, which the extent clamps to 1: R as trained, until it learns.
        x = builder.convolution(x, "indicator", from: 32, to: 1, kernel: 1, initialScale: 0.1)
        return builder.finish(outputs: [x])
    }

    /// HQI of each item of `candidate` (n, 3, H, W) against its LR (n, 3, H / s, W / s).
    public static func indicator(lr: Tensor, candidate: Tensor, lpips: LPIPS) throws -> [Double] {
        let enlarged = Resize.apply(.bicubic, to: lr, height: candidate.shape.height, width: candidate.shape.width)
        return try lpips.distances(enlarged, candidate)
    }

    /// c per item: predicted (n, 1, 1, 1) over measured, within [1, maximumExtent].
    public static func extents(predicted: Tensor, measured: [Double]) -> [Float] {
        measured.indices.map { item in
            let ratio = max(predicted.buffer[item], smallestIndicator) / max(Float(measured[item]), smallestIndicator)
            return min(max(ratio, 1), maximumExtent)
        }
    }

    /// R_c = area(hr) + c (estimate - area(hr)), per item.
    package static func apply(_ extents: [Float], estimate: Tensor, hr: Tensor) -> Tensor {
        let shrunk = Resize.apply(.area, to: hr, height: estimate.shape.height, width: estimate.shape.width)
        let result = Tensor(estimate.shape), size = estimate.shape.itemSize
        for (item, c) in extents.enumerated() {
            let e = estimate.buffer.baseAddress! + item * size, a = shrunk.buffer.baseAddress! + item * size
            let r = result.buffer.baseAddress! + item * size
            for i in 0..<size { r[i] = a[i] + c * (e[i] - a[i]) }
        }
        return result
    }

    /// The gradient of R_c with respect to R's output: c times the incoming one, per item.
    package static func estimateGradient(_ gradient: Tensor, extents: [Float]) -> Tensor {
        let result = gradient.copy(), size = gradient.shape.itemSize
        for (item, c) in extents.enumerated() {
            let g = result.buffer.baseAddress! + item * size
            for i in 0..<size { g[i] *= c }
        }
        return result
    }

    /// The part of R_c's gradient with respect to hr that goes through the area shrink:
    /// (1 - c) spread evenly over each scale x scale block.
    static func shrinkGradient(_ gradient: Tensor, extents: [Float], hrShape: Shape) -> Tensor {
        let result = Tensor(hrShape)
        let scale = hrShape.height / gradient.shape.height, lrWidth = gradient.shape.width
        for (item, c) in extents.enumerated() {
            let weight = (1 - c) / Float(scale * scale)
            for channel in 0..<hrShape.channels {
                let g = gradient.plane(item, channel), h = result.plane(item, channel)
                for y in 0..<hrShape.height {
                    for x in 0..<hrShape.width { h[y * hrShape.width + x] = weight * g[(y / scale) * lrWidth + x / scale] }
                }
            }
        }
        return result
    }
}
