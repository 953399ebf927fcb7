import XCTest

@testable import Engine

/// The Winograd backward pass of 3x3, padding-1 convolutions (Convolution+WinogradBackward.swift)
/// against finite differences and against the im2col backward pass it replaces, which stays the
/// reference path (allowsWinograd = false).
final class WinogradBackwardTests: XCTestCase {
    /// Gradients (input, weight, bias) of one convolution for the output gradient `projection`,
    /// the input gradient starting from `start` (backward adds into it).
    func gradients(_ conv: Convolution, _ input: Tensor, _ projection: Tensor, start: Tensor, winograd: Bool) -> [[Float]] {
        conv.allowsWinograd = winograd
        defer { conv.allowsWinograd = true }
        let output = Tensor(try! conv.outputShapes(for: [input.shape])[0])
        conv.forward([input], [output])
        for parameter in conv.parameters { parameter.gradient.fill(0) }
        let inputGradient = start.copy()
        conv.backward(inputs: [input], outputs: [output], outputGradients: [projection], inputGradients: [inputGradient])
        return [inputGradient.values] + conv.parameters.map(\.gradient.values)
    }

    func makeConvolution(_ inputs: Int, _ outputs: Int, activation: Activation = .none, _ generator: inout SeededGenerator) -> Convolution {
        let conv = Convolution(
            inputChannels: inputs, outputChannels: outputs, geometry: ConvolutionGeometry(kernel: 3, padding: 1),
            activation: activation)
        for parameter in conv.parameters {
            for i in 0..<parameter.value.count { parameter.value.data[i] = Float.random(in: -0.5...0.5, using: &generator) }
        }
        return conv
    }

    /// Largest difference relative to the largest magnitude of the reference.
    func relativeDifference(_ ours: [Float], _ reference: [Float]) -> Float {
        let scale = reference.map(abs).max() ?? 0
        return zip(ours, reference).map { abs($0 - $1) }.max()! / max(scale, 1e-12)
    }

    func testFiniteDifferencesOnEdgeBlocks() throws {
        // 9x7: neither side a multiple of the 4x4 output block, so edge blocks are partial.
        let conv = Convolution(inputChannels: 4, outputChannels: 5, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        XCTAssertTrue(Winograd.appliesToBackward(conv.geometry))
        try checkGradients(conv, inputShapes: [Shape(2, 4, 9, 7)], seed: 5)
        let fused = Convolution(
            inputChannels: 3, outputChannels: 2, geometry: ConvolutionGeometry(kernel: 3, padding: 1),
            activation: .leakyReLU(slope: 0.2))
        try checkGradients(fused, inputShapes: [Shape(3, 3, 6, 5)], seed: 6)
        // 11x13 in F(6x6): a whole block and a partial one each way.
        let six = Convolution(inputChannels: 3, outputChannels: 4, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        six.winogradTile = .six
        try checkGradients(six, inputShapes: [Shape(2, 3, 11, 13)], seed: 8)
    }

    func testAgreesWithIm2colAndAddsIntoTheInputGradient() {
        var generator = SeededGenerator(seed: 7)
        let cases = [
            (3, 16, 13, 10, Activation.none), (16, 16, 8, 8, .leakyReLU(slope: 0.1)),
            (16, 48, 5, 17, .none), (2, 3, 1, 2, .relu)
        ]
        // The input gradient in both forward algebras (the weight gradient has one).
        for (tile, (inputs, outputs, height, width, activation)) in [Winograd.Tile.four, .six].flatMap({ tile in cases.map { (tile, $0) } }) {
            let conv = makeConvolution(inputs, outputs, activation: activation, &generator)
            conv.winogradTile = tile
            let input = randomTensor(Shape(3, inputs, height, width), &generator)
            let projection = randomTensor(Shape(3, outputs, height, width), &generator)
            let start = randomTensor(input.shape, &generator)
            let ours = gradients(conv, input, projection, start: start, winograd: true)
            let reference = gradients(conv, input, projection, start: start, winograd: false)
            for (what, (a, b)) in zip(["input", "weight", "bias"], zip(ours, reference)) {
                XCTAssertLessThan(relativeDifference(a, b), 2e-5, "\(tile) \(what) gradient, \(inputs) -> \(outputs) on \(height)x\(width)")
            }
        }
    }

    func testWeightGradientInChunksOfRowsOrOfItems() {
        var generator = SeededGenerator(seed: 8)
        // 64 -> 64 channels on 64x64: one item's V and dM exceed gradientBytes, so each item is
        // cut into bands of block rows; 16 -> 16 on 16x16: 28 items fit, so 30 make two chunks.
        let rowBands = Winograd.gradientChunks(batch: 2, inputs: 64, outputs: 64, blocksAcross: 16, blocksDown: 16)
        XCTAssertEqual(rowBands.map(\.rows), [0..<6, 6..<12, 12..<16, 0..<6, 6..<12, 12..<16])
        let itemGroups = Winograd.gradientChunks(batch: 30, inputs: 16, outputs: 16, blocksAcross: 4, blocksDown: 4)
        XCTAssertEqual(itemGroups.map { $0.firstItem..<($0.firstItem + $0.items) }, [0..<28, 28..<30])
        for (batch, channels, size) in [(2, 64, 64), (30, 16, 16)] {
            let conv = makeConvolution(channels, channels, &generator)
            let input = randomTensor(Shape(batch, channels, size, size), &generator)
            let projection = randomTensor(input.shape, &generator), start = Tensor(input.shape)
            let ours = gradients(conv, input, projection, start: start, winograd: true)
            let reference = gradients(conv, input, projection, start: start, winograd: false)
            XCTAssertLessThan(relativeDifference(ours[1], reference[1]), 2e-5, "\(batch) x \(channels) x \(size)x\(size)")
        }
    }

    func testTheSameGradientsOnEveryRun() {
        var generator = SeededGenerator(seed: 9)
        let conv = makeConvolution(8, 12, &generator)
        let input = randomTensor(Shape(4, 8, 24, 20), &generator)
        let projection = randomTensor(Shape(4, 12, 24, 20), &generator), start = Tensor(input.shape)
        let threads = BLASRuntime.threadCount
        defer { BLASRuntime.setThreadCount(threads) }
        for count in [1, 2] {
            BLASRuntime.setThreadCount(count)
            let first = gradients(conv, input, projection, start: start, winograd: true)
            let second = gradients(conv, input, projection, start: start, winograd: true)
            for (what, (a, b)) in zip(["input", "weight", "bias"], zip(first, second)) {
                XCTAssertTrue(a == b, "\(what) gradient differs between two runs on \(count) threads")
            }
        }
        // The weight gradient's 36 products are split between threads whole: the same on any
        // thread count. (The input gradient's bands, as the forward pass's, follow the threads.)
        BLASRuntime.setThreadCount(1)
        let one = gradients(conv, input, projection, start: start, winograd: true)
        BLASRuntime.setThreadCount(2)
        let two = gradients(conv, input, projection, start: start, winograd: true)
        XCTAssertTrue(one[1] == two[1] && one[2] == two[2], "weight or bias gradient depends on the thread count")
    }
}
