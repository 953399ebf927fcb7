import Engine

/// Builds a trainable graph layer by layer: seeded He initialisation, and parameter names
/// "<prefix>.<layer>.weight" that checkpoints are read back by.
struct NetworkBuilder {
    let graph = Graph()
    let prefix: String
    var generator: SeededGenerator

    init(prefix: String, seed: UInt64) {
        self.prefix = prefix
        generator = SeededGenerator(seed: seed)
    }

    mutating func input(_ name: String) -> Int { graph.addInput(name) }

    mutating func convolution(_ input: Int, _ name: String, from inputChannels: Int, to outputChannels: Int, kernel: Int = 3,
                              stride: Int = 1, padding: Int? = nil, activation: Activation = .none, initialScale: Float = 1, initialBias: Float = 0) -> Int {
        let layer = Convolution(name: "\(prefix).\(name)", inputChannels: inputChannels, outputChannels: outputChannels,
                                geometry: ConvolutionGeometry(kernel: kernel, stride: stride, padding: padding ?? kernel / 2),
                                activation: activation)
        WeightInitialisation.kaimingUniform(layer, slope: activation.initialisationSlope, scale: initialScale, using: &generator)
        layer.bias?.value.fill(initialBias)
        return graph.add(layer, name: name, input)
    }

    /// x + conv(relu(conv(x))), the residual branch starting small (MSRResNet's 0.1 scaling).
    mutating func residualBlock(_ input: Int, _ name: String, channels: Int) -> Int {
        let inner = convolution(input, "\(name).conv1", from: channels, to: channels, activation: .relu, initialScale: 0.1)
        let branch = convolution(inner, "\(name).conv2", from: channels, to: channels, initialScale: 0.1)
        return add([input, branch], "\(name).sum")
    }

    mutating func add(_ inputs: [Int], _ name: String) -> Int {
        graph.add(WeightedSum(coefficients: inputs.map { _ in 1 }), name: name, inputs: inputs)[0]
    }

    mutating func layer(_ layer: Layer, _ name: String, _ inputs: Int...) -> Int {
        graph.add(layer, name: name, inputs: inputs)[0]
    }

    func finish(outputs: [Int]) -> Graph {
        graph.outputBlobs = outputs
        return graph
    }
}

extension Activation {
    /// The negative slope He initialisation assumes (1 for a linear layer: gain 1).
    var initialisationSlope: Float {
        switch self {
        case .none: 1
        case .relu: 0
        case .leakyReLU(let slope): slope
        }
    }
}
