/// StyleGAN2's modulated, demodulated convolution (used by the LR reconstructor, DegAE's
/// MSRResNet_Head): per batch item n, the weights are scaled by a style per input channel,
/// W'[o, i] = W[o, i] * style[n, i], then normalised per output channel,
/// W''[o] = W'[o] / sqrt(sum(W'[o]^2) + epsilon), and the input is convolved with W''.
/// Inputs: the feature map (n, in, h, w) and the style (n, in, 1, 1).
public final class ModulatedConvolution: Layer, WorkspaceUser {
    public let demodulate: Bool
    public let epsilon: Float = 1e-8
    private let convolution: Convolution
    private var modulated: Tensor
    private var modulatedGradient: Tensor

    public init(name: String = "modconv", inputChannels: Int, outputChannels: Int, kernel: Int, demodulate: Bool = true,
                bias: Bool = true, activation: Activation = .none) {
        self.demodulate = demodulate
        convolution = Convolution(name: name, inputChannels: inputChannels, outputChannels: outputChannels,
                                  geometry: ConvolutionGeometry(kernel: kernel, padding: kernel / 2), bias: bias, activation: activation)
        modulated = Tensor(convolution.weight.shape)
        modulatedGradient = Tensor(convolution.weight.shape)
    }

    public var kind: String { "ModulatedConvolution" }
    public var weight: Parameter { convolution.weight }
    public var bias: Parameter? { convolution.bias }
    public var parameters: [Parameter] { convolution.parameters }
    public var workspace: Workspace {
        get { convolution.workspace }
        set { convolution.workspace = newValue }
    }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == 2, inputs[1] == Shape(inputs[0].batch, convolution.inputChannels, 1, 1) else {
            throw EngineError("needs a style of shape \(inputs[0].batch)x\(convolution.inputChannels)x1x1")
        }
        return try convolution.outputShapes(for: [inputs[0]])
    }

    /// Writes W'' for batch item n into `modulated`; returns the demodulation factors per output channel.
    private func modulate(style: UnsafePointer<Float>) -> [Float] {
        let outputs = convolution.outputChannels, inputs = convolution.inputChannels
        let taps = convolution.geometry.kernelHeight * convolution.geometry.kernelWidth
        let w = weight.value.data, m = modulated.data
        var factors = [Float](repeating: 1, count: outputs)
        for o in 0..<outputs {
            var sum: Float = 0
            for i in 0..<inputs {
                for t in 0..<taps {
                    let index = (o * inputs + i) * taps + t
                    m[index] = w[index] * style[i]
                    sum += m[index] * m[index]
                }
            }
            if demodulate {
                factors[o] = 1 / (sum + epsilon).squareRoot()
                for j in 0..<(inputs * taps) { m[o * inputs * taps + j] *= factors[o] }
            }
        }
        return factors
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0]
        for n in 0..<input.shape.batch {
            _ = modulate(style: inputs[1].plane(n, 0))
            convolution.forwardItem(input.plane(n, 0), height: input.shape.height, width: input.shape.width,
                                    weights: modulated.data, into: outputs[0].plane(n, 0))
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let input = inputs[0]
        let outputCount = convolution.outputChannels, inputCount = convolution.inputChannels
        let taps = convolution.geometry.kernelHeight * convolution.geometry.kernelWidth
        let row = inputCount * taps
        for n in 0..<input.shape.batch {
            let style = inputs[1].plane(n, 0)
            let factors = modulate(style: style)
            modulatedGradient.fill(0)
            convolution.backwardItem(input.plane(n, 0), height: input.shape.height, width: input.shape.width,
                                     output: outputs[0].plane(n, 0), outputGradient: outputGradients[0].plane(n, 0),
                                     weights: modulated.data, weightGradient: modulatedGradient.data,
                                     inputGradient: inputGradients[0]?.plane(n, 0))
            // Through the demodulation: with A = W * style and W'' = A * d, d = (sum A^2 + eps)^-1/2,
            // dL/dA = d * G - d^3 * (sum G * A) * A, per output channel.
            let g = modulatedGradient.data, w = weight.value.data, m = modulated.data
            let styleGradient = inputGradients[1]?.plane(n, 0)
            for o in 0..<outputCount {
                let d = factors[o]
                // m holds A * d, so sum(G * A) = sum(G * m) / d.
                var projection: Float = 0
                if demodulate { for j in 0..<row { projection += g[o * row + j] * m[o * row + j] } }
                for i in 0..<inputCount {
                    for t in 0..<taps {
                        let index = o * row + i * taps + t
                        let a = demodulate ? m[index] / d : m[index]
                        let gradientA = demodulate ? d * g[index] - d * d * projection * a : g[index]
                        if weight.isTrainable { weight.gradient.data[index] += gradientA * style[i] }
                        styleGradient?[i] += gradientA * w[index]
                    }
                }
            }
        }
    }
}
