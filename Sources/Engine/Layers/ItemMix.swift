/// Mixes K stacked candidates with weights of each batch item's own: x (n, K c, h, w) holds
/// candidate k in channels k c ..< (k + 1) c, w (n, K, 1, 1); y (n, c, h, w) = sum_k w_k x_k.
/// How a network picks, per picture, a blend from a bank of fixed operators (StridedFilterBank).
public final class ItemMix: Layer {
    public init() {}

    public var kind: String { "ItemMix" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == 2 else { throw EngineError("ItemMix needs candidates and weights, got \(inputs)") }
        let x = inputs[0], w = inputs[1]
        guard w.batch == x.batch, w.height == 1, w.width == 1, w.channels > 0, x.channels % w.channels == 0 else {
            throw EngineError("ItemMix needs candidates (n, K c, h, w) and weights (n, K, 1, 1), got \(inputs)")
        }
        return [Shape(x.batch, x.channels / w.channels, x.height, x.width)]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let x = inputs[0].shape, candidates = inputs[1].shape.channels, size = outputs[0].shape.itemSize
        for n in 0..<x.batch {
            let target = outputs[0].buffer.baseAddress! + n * size
            target.update(repeating: 0, count: size)
            for k in 0..<candidates {
                let weight = inputs[1].buffer[n * candidates + k]
                let source = inputs[0].buffer.baseAddress! + n * x.itemSize + k * size
                for i in 0..<size { target[i] += weight * source[i] }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let x = inputs[0].shape, candidates = inputs[1].shape.channels, size = outputs[0].shape.itemSize
        for n in 0..<x.batch {
            let incoming = outputGradients[0].buffer.baseAddress! + n * size
            for k in 0..<candidates {
                let offset = n * x.itemSize + k * size
                if let candidateGradient = inputGradients[0] {
                    let weight = inputs[1].buffer[n * candidates + k], target = candidateGradient.buffer.baseAddress! + offset
                    for i in 0..<size { target[i] += weight * incoming[i] }
                }
                if let weightGradient = inputGradients[1] {
                    let source = inputs[0].buffer.baseAddress! + offset
                    var dot: Double = 0
                    for i in 0..<size { dot += Double(incoming[i]) * Double(source[i]) }
                    weightGradient.buffer[n * candidates + k] += Float(dot)
                }
            }
        }
    }
}
