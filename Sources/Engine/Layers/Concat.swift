/// Joins inputs along the channel axis. At inference, a convolution that reads stacked
/// channels reads them from the inputs in place, and the joined tensor is never made.
public final class Concat: Layer, AbsorbsNextLayer {
    public init() {}
    public var kind: String { "Concat" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let first = inputs[0]
        for shape in inputs where shape.batch != first.batch || shape.height != first.height || shape.width != first.width {
            throw EngineError("cannot join \(shape) to \(first)")
        }
        return [Shape(first.batch, inputs.reduce(0) { $0 + $1.channels }, first.height, first.width)]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let output = outputs[0]
        for n in 0..<output.shape.batch {
            var channel = 0
            for input in inputs {
                output.plane(n, channel).update(from: input.plane(n, 0), count: input.shape.itemSize)
                channel += input.shape.channels
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let gradient = outputGradients[0]
        for n in 0..<gradient.shape.batch {
            var channel = 0
            for (input, inputGradient) in zip(inputs, inputGradients) {
                if let target = inputGradient?.plane(n, 0) {
                    let source = gradient.plane(n, channel)
                    for i in 0..<input.shape.itemSize { target[i] += source[i] }
                }
                channel += input.shape.channels
            }
        }
    }

    func canAbsorb(_ next: Layer) -> Bool {
        (next as? Convolution)?.readsStackedChannels == true
    }

    func forward(_ inputs: [Tensor], absorbing next: Layer, _ outputs: [Tensor]) {
        (next as! Convolution).forward(stacking: inputs, into: outputs[0], preluSlopes: nil)
    }
}
