/// LPIPS's input mapping: RGB in [0, 1] to [-1, 1] (x * 2 - 1), then its ScalingLayer
/// ((v - shift) / scale per channel, the ImageNet statistics in [-1, 1] units). One affine map
/// per channel, kept apart from conv1 because folding it into conv1 would change what the
/// zero padding stands for.
public final class LPIPSScaling: Layer {
    static let shift: [Float] = [-0.030, -0.088, -0.188]
    static let scale: [Float] = [0.458, 0.448, 0.450]

    public init() {}

    public var kind: String { "LPIPSScaling" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs[0].channels == 3 else { throw EngineError("expects RGB (3 channels), got \(inputs[0].channels)") }
        return [inputs[0]]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0], output = outputs[0]
        for n in 0..<input.shape.batch {
            for c in 0..<3 {
                let x = input.plane(n, c), y = output.plane(n, c)
                let shift = Self.shift[c], scale = Self.scale[c]
                // Written as the reference computes it, to round alike.
                for i in 0..<input.shape.planeSize { y[i] = (x[i] * 2 - 1 - shift) / scale }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let shape = inputs[0].shape
        for n in 0..<shape.batch {
            for c in 0..<3 {
                let dy = outputGradients[0].plane(n, c), dx = inputGradient.plane(n, c)
                let factor = 2 / Self.scale[c]
                for i in 0..<shape.planeSize { dx[i] += factor * dy[i] }
            }
        }
    }
}
