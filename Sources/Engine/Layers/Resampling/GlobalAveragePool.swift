/// Mean over each channel's plane: (n, c, h, w) -> (n, c, 1, 1).
public final class GlobalAveragePool: Layer {
    public init() {}
    public var kind: String { "GlobalAveragePool" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        [Shape(inputs[0].batch, inputs[0].channels, 1, 1)]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let shape = inputs[0].shape
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let plane = inputs[0].plane(n, c)
                var sum: Float = 0
                for i in 0..<shape.planeSize { sum += plane[i] }
                outputs[0][n, c, 0, 0] = sum / Float(shape.planeSize)
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let shape = inputs[0].shape
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let share = outputGradients[0][n, c, 0, 0] / Float(shape.planeSize)
                let plane = inputGradient.plane(n, c)
                for i in 0..<shape.planeSize { plane[i] += share }
            }
        }
    }
}
