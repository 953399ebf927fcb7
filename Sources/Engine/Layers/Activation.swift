/// A pointwise nonlinearity that can be fused into the layer before it.
public enum Activation: Equatable, Sendable {
    case none
    case relu
    /// max(x, 0) + slope * min(x, 0)
    case leakyReLU(slope: Float)

    /// Derivative, read from the activation's output (its sign is the input's: slopes are positive).
    @inline(__always)
    func derivative(output y: Float) -> Float {
        switch self {
        case .none: 1
        case .relu: y > 0 ? 1 : 0
        case .leakyReLU(let slope): y > 0 ? 1 : slope
        }
    }

    func apply(to values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .none: return
        case .relu: for i in 0..<count { values[i] = max(values[i], 0) }
        case .leakyReLU(let slope): for i in 0..<count where values[i] < 0 { values[i] *= slope }
        }
    }

    /// gradient[i] *= derivative at output[i]
    func backpropagate(output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .none: return
        case .relu: for i in 0..<count where !(output[i] > 0) { gradient[i] = 0 }
        case .leakyReLU(let slope): for i in 0..<count where !(output[i] > 0) { gradient[i] *= slope }
        }
    }
}

/// An activation as a layer of its own.
public final class ActivationLayer: Layer {
    public let activation: Activation
    public init(_ activation: Activation) { self.activation = activation }
    public var kind: String { "\(activation)" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] { [inputs[0]] }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        outputs[0].copy(from: inputs[0])
        activation.apply(to: outputs[0].data, count: outputs[0].count)
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let y = outputs[0].data, dy = outputGradients[0].data, dx = inputGradient.data
        for i in 0..<outputs[0].count { dx[i] += dy[i] * activation.derivative(output: y[i]) }
    }
}
