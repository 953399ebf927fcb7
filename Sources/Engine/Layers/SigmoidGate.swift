import Foundation

/// Scales each item of x (n, c, h, w) by a gate read from logits z (n, 1, 1, 1):
/// y = x * ceiling * sigmoid(z). With ceiling 2 a zero logit is the identity, the gate starts
/// unsaturated, and it can both switch x off (z -> -inf) and double it.
public final class SigmoidGate: Layer {
    public let ceiling: Float

    public init(ceiling: Float = 2) {
        self.ceiling = ceiling
    }

    public var kind: String { "SigmoidGate" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == 2, inputs[1] == Shape(inputs[0].batch, 1, 1, 1) else {
            throw EngineError("SigmoidGate needs x (n, c, h, w) and logits (n, 1, 1, 1), got \(inputs)")
        }
        return [inputs[0]]
    }

    func gate(_ logit: Float) -> Float { ceiling / (1 + exp(-logit)) }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let x = inputs[0], size = x.shape.itemSize
        for n in 0..<x.shape.batch {
            let g = gate(inputs[1].buffer[n])
            let source = x.buffer.baseAddress! + n * size, target = outputs[0].buffer.baseAddress! + n * size
            for i in 0..<size { target[i] = g * source[i] }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let x = inputs[0], size = x.shape.itemSize
        for n in 0..<x.shape.batch {
            let g = gate(inputs[1].buffer[n])
            let incoming = outputGradients[0].buffer.baseAddress! + n * size
            if let xGradient = inputGradients[0] {
                let target = xGradient.buffer.baseAddress! + n * size
                for i in 0..<size { target[i] += g * incoming[i] }
            }
            if let logitGradient = inputGradients[1] {
                let source = x.buffer.baseAddress! + n * size
                var dot: Double = 0
                for i in 0..<size { dot += Double(incoming[i]) * Double(source[i]) }
                // d(ceiling * sigmoid)/dz = g (1 - g / ceiling)
                logitGradient.buffer[n] += Float(dot) * g * (1 - g / ceiling)
            }
        }
    }
}
