import Foundation

/// Softmax across the channels of each item: z (n, K, 1, 1) -> weights (n, K, 1, 1) that are
/// positive and sum to 1. Before ItemMix it keeps a blend of blur operators a blur operator:
/// whatever the logits, the mix cannot brighten, darken or invert a picture.
public final class ChannelSoftmax: Layer {
    public init() {}

    public var kind: String { "ChannelSoftmax" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == 1, inputs[0].height == 1, inputs[0].width == 1 else {
            throw EngineError("ChannelSoftmax needs logits (n, K, 1, 1), got \(inputs)")
        }
        return inputs
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let count = inputs[0].shape.channels
        for n in 0..<inputs[0].shape.batch {
            let logits = inputs[0].buffer.baseAddress! + n * count, weights = outputs[0].buffer.baseAddress! + n * count
            var largest = -Float.infinity
            for k in 0..<count { largest = max(largest, logits[k]) }
            var total: Float = 0
            for k in 0..<count {
                weights[k] = exp(logits[k] - largest)
                total += weights[k]
            }
            for k in 0..<count { weights[k] /= total }
        }
    }

    /// dz_k = p_k (g_k - sum_j p_j g_j).
    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let logitGradient = inputGradients[0] else { return }
        let count = inputs[0].shape.channels
        for n in 0..<inputs[0].shape.batch {
            let p = outputs[0].buffer.baseAddress! + n * count, g = outputGradients[0].buffer.baseAddress! + n * count
            var expected: Float = 0
            for k in 0..<count { expected += p[k] * g[k] }
            for k in 0..<count { logitGradient.buffer[n * count + k] += p[k] * (g[k] - expected) }
        }
    }
}
