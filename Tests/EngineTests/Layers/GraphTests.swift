import XCTest
@testable import Engine

/// A whole graph seen as one layer, so the finite-difference check covers blob reuse
/// (one blob read by several layers) and gradient accumulation across the graph.
final class GraphAsLayer: Layer {
    let graph: Graph
    init(_ graph: Graph) { self.graph = graph }
    var kind: String { "Graph" }
    var parameters: [Parameter] { graph.parameters }
    func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let shapes = try graph.shapes(for: inputs)
        return graph.outputBlobs.map { shapes[$0]! }
    }
    func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let results = try! graph.forward(inputs, training: true)
        for (output, result) in zip(outputs, results) { output.copy(from: result) }
    }
    func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        _ = try! graph.forward(inputs, training: true)
        let gradients = graph.backward(outputGradients)
        for (target, gradient) in zip(inputGradients, gradients) { target?.add(gradient) }
    }
}

final class GraphTests: XCTestCase {
    func testBackwardThroughBranchesAndSkipConnections() throws {
        let graph = Graph()
        let x = graph.addInput("x")
        let features = graph.add(Convolution(name: "first", inputChannels: 2, outputChannels: 4, geometry: ConvolutionGeometry(kernel: 3, padding: 1)), name: "first", x)
        let branch = graph.add(PReLU(name: "act", channels: 4), name: "act", features)
        // No second kink here: stacked kinks make finite differences unreliable at any step;
        // fused activations are checked layer by layer.
        let deeper = graph.add(Convolution(name: "second", inputChannels: 4, outputChannels: 4, geometry: ConvolutionGeometry(kernel: 3, padding: 1)),
                               name: "second", branch)
        let joined = graph.add(Concat(), name: "join", features, deeper)
        let mixed = graph.add(Convolution(name: "mix", inputChannels: 8, outputChannels: 8, geometry: ConvolutionGeometry(kernel: 1)), name: "mix", joined)
        let up = graph.add(PixelShuffle(factor: 2), name: "up", mixed)
        let skip = graph.add(Resize(.nearest, .scale(2)), name: "skip", x)
        graph.outputBlobs = [graph.add(WeightedSum(coefficients: [1, 0.5]), name: "sum", up, skip)]
        try checkGradients(GraphAsLayer(graph), inputShapes: [Shape(2, 2, 4, 5)], awayFromZero: 0.05, samples: 40)
    }

    func testFineTuningTheRealCompactModelLowersItsLoss() throws {
        // The published weights, all frozen but the last convolution, fitted for a few steps to
        // a sharper target: loss falls, frozen weights stay as they were.
        let model = try SRModelSpec.named("compact-x4").load(from: modelsDirectory)
        let parameters = model.graph.parameters
        for parameter in parameters.dropLast(2) { parameter.isTrainable = false }
        let frozenBefore = parameters[0].value.values
        var generator = SeededGenerator(seed: 9)
        let input = randomTensor(Shape(2, 3, 16, 16), &generator)
        for i in 0..<input.count { input.data[i] = input.data[i] * 0.5 + 0.5 }
        let target = try model.upscale(input)
        for i in 0..<target.count { target.data[i] = min(1, max(0, (target.data[i] - 0.5) * 1.3 + 0.5)) }
        let optimiser = Adam(learningRate: 1e-3)
        var losses: [Double] = []
        for _ in 0..<15 {
            let output = try model.graph.forward([input], training: true)[0]
            let (loss, gradient) = Loss.l1(output, target)
            losses.append(loss)
            model.graph.zeroGradients()
            model.graph.backward([gradient])
            optimiser.step(parameters)
        }
        XCTAssertLessThan(losses.last!, losses.first! * 0.8, "losses \(losses)")
        XCTAssertEqual(parameters[0].value.values, frozenBefore)
    }
}

extension GraphTests {
    /// A graph where inference fuses a convolution with the PReLU after it and a Concat with the
    /// 3x3 convolution after it, and where it must not (an output read twice or by the caller,
    /// a convolution that cannot read stacked channels).
    private func convolutionPReLUGraph(_ generator: inout SeededGenerator) -> Graph {
        let graph = Graph()
        let x = graph.addInput("x")
        func conv(_ name: String, _ input: Int, inputs: Int, outputs: Int, kernel: Int) -> Int {
            let layer = Convolution(name: name, inputChannels: inputs, outputChannels: outputs, geometry: ConvolutionGeometry(kernel: kernel, padding: kernel / 2))
            for parameter in layer.parameters { parameter.value.copy(from: randomTensor(parameter.shape, &generator)) }
            return graph.add(layer, name: name, input)
        }
        func prelu(_ name: String, _ input: Int, channels: Int) -> Int {
            let layer = PReLU(name: name, channels: channels)
            layer.slope.value.copy(from: randomTensor(layer.slope.shape, &generator))
            return graph.add(layer, name: name, input)
        }
        let winograd = prelu("act1", conv("first", x, inputs: 3, outputs: 6, kernel: 3), channels: 6)
        let widened = graph.add(Concat(), name: "widen", winograd, x)
        let pointwise = prelu("act2", conv("second", widened, inputs: 9, outputs: 6, kernel: 1), channels: 6)
        let shared = conv("third", pointwise, inputs: 6, outputs: 6, kernel: 5)
        let joined = graph.add(Concat(), name: "join", prelu("act3", shared, channels: 6), shared)
        let last = conv("last", joined, inputs: 12, outputs: 4, kernel: 3)
        graph.outputBlobs = [last, prelu("act4", last, channels: 4)]
        return graph
    }

    func testInferenceFusesLayersWithoutChangingTheResult() throws {
        var generator = SeededGenerator(seed: 31)
        let graph = convolutionPReLUGraph(&generator)
        let input = randomTensor(Shape(2, 3, 11, 13), &generator)
        let steps = try graph.inferenceSteps(inputShapes: [input.shape]).map { $0.map { graph.nodes[$0].name } }
        XCTAssertEqual(steps, [["first", "act1"], ["widen"], ["second", "act2"], ["third"], ["act3"], ["join", "last"], ["act4"]])
        // Training keeps every layer apart: the reference.
        let separate = try graph.forward([input], training: true).map { $0.copy() }
        let fused = try graph.forward([input])
        for (a, b) in zip(fused, separate) {
            XCTAssertEqual(a.shape, b.shape)
            let scale = b.values.map(abs).max()!
            for (x, y) in zip(a.values, b.values) { XCTAssertEqual(x, y, accuracy: 1e-6 * scale) }
        }
        // The same again: fused inference is repeatable.
        XCTAssertEqual(try graph.forward([input]).map(\.values), fused.map(\.values))
    }

    /// SRVGGNetCompact's shape in small: body, then a convolution to channels x r², a pixel
    /// shuffle by r and the input upsampled (nearest) by r added; `tail` changes the tail.
    private func upsamplingGraph(_ generator: inout SeededGenerator, factor r: Int, method: Resize.Method = .nearest,
                                 coefficients: [Float] = [1, 1], shuffledIsOutput: Bool = false) -> (Graph, Convolution) {
        let graph = Graph()
        let x = graph.addInput("x")
        let body = Convolution(name: "body", inputChannels: 3, outputChannels: 8, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        let last = Convolution(name: "last", inputChannels: 8, outputChannels: 3 * r * r, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        let prelu = PReLU(name: "act", channels: 8)
        for parameter in body.parameters + last.parameters + prelu.parameters {
            parameter.value.copy(from: randomTensor(parameter.shape, &generator))
        }
        let features = graph.add(prelu, name: "act", graph.add(body, name: "body", x))
        let shuffled = graph.add(PixelShuffle(factor: r), name: "shuffle", graph.add(last, name: "last", features))
        let upsampled = graph.add(Resize(method, .scale(Double(r))), name: "up", x)
        graph.outputBlobs = [graph.add(WeightedSum(coefficients: coefficients), name: "add", upsampled, shuffled)]
        if shuffledIsOutput { graph.outputBlobs.append(shuffled) }
        return (graph, last)
    }

    func testInferenceFoldsThePixelShuffleAndUpsampledInputIntoTheLastConvolution() throws {
        var generator = SeededGenerator(seed: 32)
        for (factor, tile, height, width) in [(4, Winograd.Tile.four, 11, 13), (2, .six, 9, 20), (3, .four, 6, 37)] {
            let (graph, last) = upsamplingGraph(&generator, factor: factor)
            last.winogradTile = tile
            let input = randomTensor(Shape(2, 3, height, width), &generator)
            let steps = try graph.inferenceSteps(inputShapes: [input.shape]).map { $0.map { graph.nodes[$0].name } }
            XCTAssertEqual(steps, [["body", "act"], ["last", "shuffle", "up", "add"]])
            // Training runs every node apart: the reference, which fusing must match bit for bit
            // (the same sums in the same order, stored elsewhere).
            let separate = try graph.forward([input], training: true)[0].copy()
            let fused = try graph.forward([input])[0]
            XCTAssertEqual(fused.shape, Shape(2, 3, height * factor, width * factor))
            let differing = zip(fused.values, separate.values).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(differing, 0, "x\(factor) \(tile) \(height)x\(width): \(differing) values differ")
        }
    }

    func testInferenceLeavesOtherTailsApart() throws {
        var generator = SeededGenerator(seed: 33)
        let input = randomTensor(Shape(1, 3, 8, 9), &generator)
        let apart = [["body", "act"], ["last"], ["shuffle"], ["up"], ["add"]]
        for (graph, _) in [upsamplingGraph(&generator, factor: 2, method: .bilinear), upsamplingGraph(&generator, factor: 2, coefficients: [1, -1]),
                           upsamplingGraph(&generator, factor: 2, shuffledIsOutput: true)] {
            XCTAssertEqual(try graph.inferenceSteps(inputShapes: [input.shape]).map { $0.map { graph.nodes[$0].name } }, apart)
            let separate = try graph.forward([input], training: true).map { $0.copy() }
            XCTAssertEqual(try graph.forward([input]).map(\.values), separate.map(\.values))
        }
    }
}
