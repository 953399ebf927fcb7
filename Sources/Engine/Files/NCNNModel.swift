import Foundation

/// Builds a `Graph` from an ncnn network (.param description + .bin weights), so that the
/// published Real-ESRGAN weights run, and train, on this engine.
public enum NCNNModel {
    public static func load(param paramPath: String, weights weightsPath: String) throws -> Graph {
        try load(param: FileBytes.read(paramPath), file: paramPath, weights: FileBytes.read(weightsPath), file: weightsPath)
    }

    /// `load` of the two files' bytes already in memory; the file names name them in errors.
    static func load(param: Data, file paramPath: String, weights: Data, file weightsPath: String) throws -> Graph {
        guard let text = String(data: param, encoding: .utf8) else { throw EngineError("\(paramPath): not an ncnn .param file (not UTF-8 text)") }
        let layers = try NCNNParamParser.parse(text, file: paramPath)
        var reader = NCNNWeightReader(file: weightsPath, bytes: [UInt8](weights))
        let graph = try build(layers, reader: &reader, file: paramPath)
        guard reader.isAtEnd else {
            throw EngineError("\(weightsPath): \(reader.bytes.count - reader.offset) bytes left over: the weights do not belong to \(paramPath)")
        }
        return graph
    }

    static func build(_ layers: [NCNNLayerDescription], reader: inout NCNNWeightReader, file: String) throws -> Graph {
        let graph = Graph()
        var blobs: [String: Int] = [:]
        var consumed = Set<String>()
        func blob(_ name: String, for layer: NCNNLayerDescription) throws -> Int {
            guard let id = blobs[name] else { throw EngineError("\(file): layer \(layer.name) reads blob '\(name)' before anything writes it") }
            consumed.insert(name)
            return id
        }
        for layer in layers {
            let inputs = try layer.inputs.map { try blob($0, for: layer) }
            func single(_ operation: Layer) throws {
                guard layer.outputs.count == 1 else { throw EngineError("\(file): layer \(layer.name) must have one output") }
                blobs[layer.outputs[0]] = graph.add(operation, name: layer.name, inputs: inputs)[0]
            }
            switch layer.type {
            case "Input":
                for output in layer.outputs { blobs[output] = graph.addInput(output) }
            case "Split":
                // Copies in ncnn; here every output names the same blob, and gradients add up there.
                guard inputs.count == 1 else { throw EngineError("\(file): layer \(layer.name): Split must have one input") }
                for output in layer.outputs { blobs[output] = inputs[0] }
            case "Convolution":
                try single(convolution(layer, reader: &reader, file: file))
            case "PReLU":
                let count = try layer.int(0, default: 0)
                guard count > 0 else { throw EngineError("\(file): layer \(layer.name): PReLU needs a positive channel count, not \(count)") }
                // Read before the layer is made: the count is only as good as the file.
                let slopes = try reader.floats(count, "\(layer.name) slopes")
                let prelu = PReLU(name: layer.name, channels: count)
                prelu.slope.value.copy(from: Tensor(prelu.slope.shape, values: slopes))
                try single(prelu)
            case "ReLU":
                let slope = try layer.float(0, default: 0)
                try single(ActivationLayer(slope == 0 ? .relu : .leakyReLU(slope: slope)))
            case "PixelShuffle":
                guard try layer.int(1, default: 0) == 0 else { throw EngineError("\(file): layer \(layer.name): only PixelShuffle mode 0 is supported") }
                try single(PixelShuffle(factor: try layer.int(0, default: 1)))
            case "Interp":
                try single(interp(layer, file: file))
            case "BinaryOp":
                guard try layer.int(1, default: 0) == 0, inputs.count == 2 else {
                    throw EngineError("\(file): layer \(layer.name): only BinaryOp of two blobs is supported")
                }
                switch try layer.int(0, default: 0) {
                case 0: try single(WeightedSum(coefficients: [1, 1]))
                case 1: try single(WeightedSum(coefficients: [1, -1]))
                case let other: throw EngineError("\(file): layer \(layer.name): BinaryOp type \(other) is not supported")
                }
            case "Eltwise":
                guard try layer.int(0, default: 1) == 1 else { throw EngineError("\(file): layer \(layer.name): only Eltwise sum is supported") }
                let coefficients = try layer.floats(1)
                try single(WeightedSum(coefficients: coefficients.isEmpty ? Array(repeating: 1, count: inputs.count) : coefficients))
            case "Concat":
                guard try layer.int(0, default: 0) == 0 else { throw EngineError("\(file): layer \(layer.name): only channel Concat is supported") }
                try single(Concat())
            default:
                throw EngineError("\(file): layer \(layer.name): unsupported ncnn layer type \(layer.type)")
            }
        }
        guard !graph.inputBlobs.isEmpty else { throw EngineError("\(file): the network has no Input layer") }
        // The outputs are the blobs nothing reads.
        let produced = layers.flatMap(\.outputs)
        graph.outputBlobs = produced.filter { !consumed.contains($0) && layers.first(where: { $0.type == "Input" })?.outputs.contains($0) != true }
            .compactMap { blobs[$0] }
        guard !graph.outputBlobs.isEmpty else { throw EngineError("\(file): the network has no output") }
        return graph
    }

    static func convolution(_ layer: NCNNLayerDescription, reader: inout NCNNWeightReader, file: String) throws -> Convolution {
        let outputs = try layer.int(0, default: 0)
        let kernelWidth = try layer.int(1, default: 0), kernelHeight = try layer.int(11, default: kernelWidth)
        var geometry = ConvolutionGeometry(kernelHeight: kernelHeight, kernelWidth: kernelWidth)
        geometry.dilationX = try layer.int(2, default: 1)
        geometry.dilationY = try layer.int(12, default: geometry.dilationX)
        geometry.strideX = try layer.int(3, default: 1)
        geometry.strideY = try layer.int(13, default: geometry.strideX)
        geometry.padLeft = try layer.int(4, default: 0)
        geometry.padRight = try layer.int(15, default: geometry.padLeft)
        geometry.padTop = try layer.int(14, default: geometry.padLeft)
        geometry.padBottom = try layer.int(16, default: geometry.padTop)
        let weightCount = try layer.int(6, default: 0)
        let hasBias = try layer.int(5, default: 0) != 0
        let values = [outputs, kernelWidth, kernelHeight, geometry.dilationX, geometry.dilationY, geometry.strideX, geometry.strideY]
        let (filterSize, overflowKernel) = kernelWidth.multipliedReportingOverflow(by: kernelHeight)
        let (perInputChannel, overflowOutputs) = filterSize.multipliedReportingOverflow(by: outputs)
        guard values.allSatisfy({ $0 > 0 }), [geometry.padLeft, geometry.padRight, geometry.padTop, geometry.padBottom].allSatisfy({ $0 >= 0 }),
              !overflowKernel, !overflowOutputs, weightCount > 0, weightCount % perInputChannel == 0 else {
            throw EngineError("\(file): layer \(layer.name): inconsistent convolution parameters")
        }
        let activation: Activation
        switch try layer.int(9, default: 0) {
        case 0: activation = .none
        case 1: activation = .relu
        case 2: activation = .leakyReLU(slope: try layer.floats(10).first ?? 0)
        case let other: throw EngineError("\(file): layer \(layer.name): fused activation \(other) is not supported")
        }
        // Read before the layer is made: the counts are only as good as the file.
        let weights = try reader.taggedWeights(weightCount, "\(layer.name) weights")
        let biases = hasBias ? try reader.floats(outputs, "\(layer.name) bias") : nil
        let conv = Convolution(name: layer.name, inputChannels: weightCount / perInputChannel,
                               outputChannels: outputs, geometry: geometry, bias: hasBias, activation: activation)
        conv.weight.value.copy(from: Tensor(conv.weight.shape, values: weights))
        if let bias = conv.bias, let biases { bias.value.copy(from: Tensor(bias.shape, values: biases)) }
        return conv
    }

    static func interp(_ layer: NCNNLayerDescription, file: String) throws -> Resize {
        guard try layer.int(6, default: 0) == 0 else { throw EngineError("\(file): layer \(layer.name): align_corner Interp is not supported") }
        let method: Resize.Method
        switch try layer.int(0, default: 0) {
        case 1: method = .nearest
        case 2: method = .bilinear
        case 3: method = .bicubic
        case let other: throw EngineError("\(file): layer \(layer.name): Interp type \(other) is not supported")
        }
        let height = try layer.int(3, default: 0), width = try layer.int(4, default: 0)
        if height > 0 && width > 0 { return Resize(method, .fixed(height: height, width: width)) }
        let scaleY = try layer.float(1, default: 1), scaleX = try layer.float(2, default: 1)
        guard scaleX == scaleY, scaleX > 0 else { throw EngineError("\(file): layer \(layer.name): unequal Interp scales are not supported") }
        return Resize(method, .scale(Double(scaleX)))
    }
}
