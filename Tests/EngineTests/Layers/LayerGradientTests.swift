import XCTest
@testable import Engine

/// Every layer's backward agrees with central finite differences (relative error <= 1e-2 with a
/// float32 forward pass and a 1e-3 step; the loss is summed in Double).
final class LayerGradientTests: XCTestCase {
    func testConvolution3x3Padded() throws {
        let conv = Convolution(inputChannels: 3, outputChannels: 4, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        try checkGradients(conv, inputShapes: [Shape(2, 3, 5, 6)])
    }

    func testConvolutionStridedUnpaddedLikeTheDegradationEncoder() throws {
        let conv = Convolution(inputChannels: 2, outputChannels: 3, geometry: ConvolutionGeometry(kernel: 4, stride: 2))
        try checkGradients(conv, inputShapes: [Shape(1, 2, 9, 10)])
    }

    func testConvolutionPointwiseWithoutBias() throws {
        let conv = Convolution(inputChannels: 5, outputChannels: 3, geometry: ConvolutionGeometry(kernel: 1), bias: false)
        try checkGradients(conv, inputShapes: [Shape(2, 5, 3, 4)])
    }

    func testConvolutionDilatedWithUnevenPadding() throws {
        var geometry = ConvolutionGeometry(kernel: 3, stride: 1, padding: 2, dilation: 2)
        geometry.padRight = 1
        geometry.padTop = 0
        let conv = Convolution(inputChannels: 2, outputChannels: 2, geometry: geometry)
        try checkGradients(conv, inputShapes: [Shape(1, 2, 7, 6)])
    }

    func testConvolutionWithFusedLeakyReLU() throws {
        let conv = Convolution(inputChannels: 3, outputChannels: 3, geometry: ConvolutionGeometry(kernel: 3, padding: 1),
                               activation: .leakyReLU(slope: 0.2))
        try checkGradients(conv, inputShapes: [Shape(2, 3, 5, 5)], seed: 3)
    }

    func testFrozenWeightsGetNoGradientButPassItOn() throws {
        let conv = Convolution(inputChannels: 2, outputChannels: 2, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        conv.weight.isTrainable = false
        try checkGradients(conv, inputShapes: [Shape(1, 2, 4, 4)])
        XCTAssertEqual(conv.weight.gradient.values.map(abs).max(), 0)
        XCTAssertGreaterThan(conv.bias!.gradient.values.map(abs).max()!, 0)
    }

    func testActivations() throws {
        try checkGradients(ActivationLayer(.relu), inputShapes: [Shape(1, 2, 3, 3)], awayFromZero: 0.05)
        try checkGradients(ActivationLayer(.leakyReLU(slope: 0.1)), inputShapes: [Shape(1, 2, 3, 3)], awayFromZero: 0.05)
    }

    func testPReLU() throws {
        try checkGradients(PReLU(channels: 3), inputShapes: [Shape(2, 3, 3, 4)], awayFromZero: 0.05)
    }

    func testPixelShuffleAndUnshuffle() throws {
        try checkGradients(PixelShuffle(factor: 2), inputShapes: [Shape(1, 8, 3, 2)])
        try checkGradients(PixelShuffle(factor: 3, inverse: true), inputShapes: [Shape(2, 1, 6, 3)])
    }

    func testConcatWeightedSumAndPooling() throws {
        try checkGradients(Concat(), inputShapes: [Shape(2, 1, 3, 3), Shape(2, 3, 3, 3)])
        try checkGradients(WeightedSum(coefficients: [0.2, 1]), inputShapes: [Shape(1, 2, 3, 3), Shape(1, 2, 3, 3)])
        try checkGradients(GlobalAveragePool(), inputShapes: [Shape(2, 3, 4, 5)])
    }

    func testResize() throws {
        try checkGradients(Resize(.nearest, .scale(2)), inputShapes: [Shape(1, 2, 3, 4)])
        try checkGradients(Resize(.bilinear, .scale(2)), inputShapes: [Shape(1, 2, 3, 4)])
        try checkGradients(Resize(.bicubic, .scale(4)), inputShapes: [Shape(1, 1, 3, 3)])
        try checkGradients(Resize(.bicubic, .fixed(height: 2, width: 3)), inputShapes: [Shape(1, 2, 8, 12)])
        try checkGradients(Resize(.bilinear, .fixed(height: 5, width: 3)), inputShapes: [Shape(1, 1, 4, 7)])
        try checkGradients(Resize(.area, .fixed(height: 3, width: 4)), inputShapes: [Shape(1, 2, 7, 10)])
    }
}

extension LayerGradientTests {
    func testModulatedConvolution() throws {
        try checkGradients(ModulatedConvolution(inputChannels: 3, outputChannels: 2, kernel: 3), inputShapes: [Shape(2, 3, 4, 5), Shape(2, 3, 1, 1)])
        try checkGradients(ModulatedConvolution(inputChannels: 2, outputChannels: 3, kernel: 3, demodulate: false),
                           inputShapes: [Shape(1, 2, 4, 4), Shape(1, 2, 1, 1)])
    }

    func testDemodulationNormalisesEachOutputFilter() throws {
        // With demodulation a per-channel style scale cancels when all channels share it.
        var generator = SeededGenerator(seed: 4)
        let layer = ModulatedConvolution(inputChannels: 3, outputChannels: 2, kernel: 3, bias: false)
        layer.weight.value.copy(from: randomTensor(layer.weight.shape, &generator))
        let x = randomTensor(Shape(1, 3, 5, 5), &generator)
        let small = Tensor(Shape(1, 2, 5, 5)), large = Tensor(Shape(1, 2, 5, 5))
        layer.forward([x, Tensor(Shape(1, 3, 1, 1), values: [0.5, 0.5, 0.5])], [small])
        layer.forward([x, Tensor(Shape(1, 3, 1, 1), values: [4, 4, 4])], [large])
        for (a, b) in zip(small.values, large.values) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
}

extension LayerGradientTests {
    func testPooling() throws {
        try checkGradients(Pooling(.average, kernel: 2), inputShapes: [Shape(2, 3, 5, 6)])
        try checkGradients(Pooling(.average, kernel: 3, stride: 2), inputShapes: [Shape(1, 2, 7, 7)])
        // Max pooling has a kink wherever two values tie; random values keep clear of ties.
        try checkGradients(Pooling(.max, kernel: 3, stride: 2), inputShapes: [Shape(1, 2, 7, 9)])
        let pooled = Tensor(Shape(1, 1, 1, 2))
        Pooling(.max, kernel: 2).forward([Tensor(Shape(1, 1, 2, 4), values: [1, 5, 2, 0, 3, 4, 8, 1])], [pooled])
        XCTAssertEqual(pooled.values, [5, 8])
    }
}

extension LayerGradientTests {
    func testSigmoidGate() throws {
        try checkGradients(SigmoidGate(ceiling: 2), inputShapes: [Shape(3, 2, 3, 4), Shape(3, 1, 1, 1)])
        // A zero logit is the identity (ceiling 2); a very negative one switches x off.
        let x = Tensor(Shape(2, 1, 1, 2), values: [1, -2, 3, 4]), output = Tensor(Shape(2, 1, 1, 2))
        SigmoidGate(ceiling: 2).forward([x, Tensor(Shape(2, 1, 1, 1), values: [0, -30])], [output])
        XCTAssertEqual(output.values[0...1], [1, -2])
        XCTAssertEqual(output.values[2], 0, accuracy: 1e-10)
        XCTAssertThrowsError(try SigmoidGate().outputShapes(for: [Shape(2, 3, 4, 4), Shape(2, 3, 1, 1)]))
    }
}

extension LayerGradientTests {
    func testStridedFilterBankAndItemMix() throws {
        // Taps reaching past both borders (origin -2, length 6, stride 2), so the mirrored
        // gradient paths are checked too.
        let bank = StridedFilterBank(filters: [[0.1, -0.2, 0.5, 0.4, 0.3, -0.1], [0, 0, 0.5, 0.5, 0, 0]], origin: -2, stride: 2)
        try checkGradients(bank, inputShapes: [Shape(2, 2, 6, 4)])
        try checkGradients(ItemMix(), inputShapes: [Shape(2, 6, 3, 2), Shape(2, 3, 1, 1)])
        try checkGradients(ChannelSoftmax(), inputShapes: [Shape(3, 4, 1, 1)])
        let weights = Tensor(Shape(2, 3, 1, 1))
        ChannelSoftmax().forward([Tensor(Shape(2, 3, 1, 1), values: [0, 0, 0, 1000, 0, -1000])], [weights])
        XCTAssertEqual(weights.values, [1 / 3, 1 / 3, 1 / 3, 1, 0, 0])
    }

    func testStridedFilterBankIsAStridedSeparableFilterMirroredAtTheBorders() throws {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor(Shape(1, 2, 8, 12), values: (0..<192).map { _ in Float.random(in: 0...1, using: &generator) })
        // A four-tap box at stride 4 is the area shrink.
        let box = StridedFilterBank(filters: [[0.25, 0.25, 0.25, 0.25]], origin: 0, stride: 4)
        let shrunk = Tensor(Shape(1, 2, 2, 3))
        box.forward([x], [shrunk])
        let area = Resize.apply(.area, to: x, height: 2, width: 3)
        for (a, b) in zip(shrunk.values, area.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        // A three-tap filter at stride 2 starting one pixel before: row -1 mirrors to row 1.
        let filter: [Float] = [0.2, 0.5, 0.3]
        let bank = StridedFilterBank(filters: [filter], origin: -1, stride: 2)
        let output = Tensor(Shape(1, 2, 4, 6))
        bank.forward([x], [output])
        func mirror(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i }
        for c in 0..<2 {
            for i in 0..<4 {
                for j in 0..<6 {
                    var expected: Float = 0
                    for u in 0..<3 {
                        for v in 0..<3 {
                            expected += filter[u] * filter[v] * x.plane(0, c)[mirror(2 * i - 1 + u, 8) * 12 + mirror(2 * j - 1 + v, 12)]
                        }
                    }
                    XCTAssertEqual(output.plane(0, c)[i * 6 + j], expected, accuracy: 1e-6)
                }
            }
        }
        XCTAssertThrowsError(try bank.outputShapes(for: [Shape(1, 3, 7, 8)]))
    }

    func testItemMixWeighsEachItemsCandidatesByItsOwnWeights() throws {
        // Item 0: 2 * first + 0 * second; item 1: -1 * first + 1 * second.
        let candidates = Tensor(Shape(2, 2, 1, 2), values: [1, 2, 10, 20, 3, 4, 30, 40])
        let output = Tensor(Shape(2, 1, 1, 2))
        ItemMix().forward([candidates, Tensor(Shape(2, 2, 1, 1), values: [2, 0, -1, 1])], [output])
        XCTAssertEqual(output.values, [2, 4, 27, 36])
        XCTAssertThrowsError(try ItemMix().outputShapes(for: [Shape(2, 5, 3, 3), Shape(2, 2, 1, 1)]))
    }
}
