import XCTest
@testable import Engine

/// Forward passes against their definitions, written out directly.
final class LayerForwardTests: XCTestCase {
    func testConvolutionMatchesDirectLoops() throws {
        var generator = SeededGenerator(seed: 7)
        var geometry = ConvolutionGeometry(kernel: 3, stride: 2, padding: 1)
        geometry.padRight = 2
        let conv = Convolution(inputChannels: 3, outputChannels: 4, geometry: geometry)
        for parameter in conv.parameters { parameter.value.copy(from: randomTensor(parameter.shape, &generator)) }
        let input = randomTensor(Shape(2, 3, 7, 8), &generator)
        let shape = try conv.outputShapes(for: [input.shape])[0]
        let output = Tensor(shape)
        conv.forward([input], [output])
        for n in 0..<shape.batch {
            for o in 0..<shape.channels {
                for y in 0..<shape.height {
                    for x in 0..<shape.width {
                        var sum = Double(conv.bias!.value.data[o])
                        for c in 0..<3 {
                            for ky in 0..<3 {
                                for kx in 0..<3 {
                                    let iy = y * 2 - 1 + ky, ix = x * 2 - 1 + kx
                                    guard iy >= 0, iy < 7, ix >= 0, ix < 8 else { continue }
                                    sum += Double(conv.weight.value[o, c, ky, kx]) * Double(input[n, c, iy, ix])
                                }
                            }
                        }
                        XCTAssertEqual(Double(output[n, o, y, x]), sum, accuracy: 1e-5)
                    }
                }
            }
        }
    }

    func testPixelShuffleFollowsPyTorch() throws {
        // Channel c * 4 + dy * 2 + dx lands at (2y + dy, 2x + dx) of channel c.
        let input = Tensor(Shape(1, 4, 1, 1), values: [10, 11, 12, 13])
        let output = Tensor(Shape(1, 1, 2, 2))
        PixelShuffle(factor: 2).forward([input], [output])
        XCTAssertEqual(output.values, [10, 11, 12, 13])
        let back = Tensor(Shape(1, 4, 1, 1))
        PixelShuffle(factor: 2, inverse: true).forward([output], [back])
        XCTAssertEqual(back.values, input.values)
    }

    func testBilinearAndNearestUpsamplingFollowPyTorch() throws {
        let input = Tensor(Shape(1, 1, 1, 2), values: [0, 1])
        let bilinear = Tensor(Shape(1, 1, 2, 4))
        Resize(.bilinear, .scale(2)).forward([input], [bilinear])
        XCTAssertEqual(bilinear.values, [0, 0.25, 0.75, 1, 0, 0.25, 0.75, 1])
        let nearest = Tensor(Shape(1, 1, 2, 4))
        Resize(.nearest, .scale(2)).forward([input], [nearest])
        XCTAssertEqual(nearest.values, [0, 0, 1, 1, 0, 0, 1, 1])
    }

    func testBicubicUsesPyTorchWeights() throws {
        // Halving samples input position 2o + 0.5, where the a = -0.75 kernel weighs the four
        // neighbours -0.09375, 0.59375, 0.59375, -0.09375 (PyTorch's bicubic without antialiasing).
        var impulse = [Float](repeating: 0, count: 8)
        impulse[4] = 1
        let output = Tensor(Shape(1, 1, 1, 4))
        Resize(.bicubic, .fixed(height: 1, width: 4)).forward([Tensor(Shape(1, 1, 1, 8), values: impulse)], [output])
        XCTAssertEqual(output.values, [0, -0.09375, 0.59375, 0])
        // Weights sum to one: a constant stays constant, borders included.
        let constant = Tensor(Shape(1, 1, 3, 5), values: [Float](repeating: 0.7, count: 15))
        let upsampled = Tensor(Shape(1, 1, 12, 20))
        Resize(.bicubic, .scale(4)).forward([constant], [upsampled])
        for value in upsampled.values { XCTAssertEqual(value, 0.7, accuracy: 1e-6) }
    }
}

extension LayerForwardTests {
    /// The Winograd forward pass agrees with im2col on odd sizes, uneven padding, batches,
    /// fused activations and inputs smaller than a block, in both algebras; rows of at least 8
    /// blocks take the transforms' vector path, whose last vector (8 or 16 lanes) overlaps the
    /// one before it.
    func testWinogradMatchesIm2col() throws {
        var generator = SeededGenerator(seed: 21)
        let sizes = [(3, 4, 7, 9, 1), (8, 5, 1, 1, 1), (4, 6, 6, 5, 0), (64, 64, 13, 11, 1), (16, 8, 20, 23, 1), (5, 7, 14, 131, 1), (2, 3, 9, 157, 1), (3, 2, 7, 46, 1)]
        for (tile, (channels, outputs, height, width, padding)) in [Winograd.Tile.four, .six].flatMap({ tile in sizes.map { (tile, $0) } }) {
            var geometry = ConvolutionGeometry(kernel: 3, padding: padding)
            if padding == 1 { geometry.padRight = 2 }
            let fast = Convolution(inputChannels: channels, outputChannels: outputs, geometry: geometry, activation: .leakyReLU(slope: 0.2))
            let plain = Convolution(inputChannels: channels, outputChannels: outputs, geometry: geometry, activation: .leakyReLU(slope: 0.2))
            fast.winogradTile = tile
            plain.allowsWinograd = false
            for (a, b) in zip(fast.parameters, plain.parameters) {
                a.value.copy(from: randomTensor(a.shape, &generator))
                b.value.copy(from: a.value)
            }
            let input = randomTensor(Shape(2, channels, height, width), &generator)
            let shape = try fast.outputShapes(for: [input.shape])[0]
            let x = Tensor(shape), y = Tensor(shape)
            fast.forward([input], [x])
            plain.forward([input], [y])
            // F(4x4, 3x3)'s transforms (entries up to 8) magnify float32 rounding to a few 1e-6 of
            // the outputs' scale; F(6x6, 3x3)'s (up to 32) stay under 1e-5 here.
            let worst = zip(x.values, y.values).map { abs($0 - $1) }.max()!
            let scale = y.values.map(abs).max()!
            print("winograd \(tile) \(channels)->\(outputs) on \(height)x\(width): worst error \(worst / scale) of the scale")
            XCTAssertLessThan(worst / scale, 2e-5, "\(tile) \(channels)->\(outputs) on \(height)x\(width), padding \(padding)")
        }
    }
}

extension LayerForwardTests {
    func testAreaShrinkingAveragesWhatEachPixelCovers() throws {
        let input = Tensor(Shape(1, 1, 1, 6), values: [0, 2, 4, 6, 8, 10])
        let halved = Tensor(Shape(1, 1, 1, 3))
        Resize(.area, .fixed(height: 1, width: 3)).forward([input], [halved])
        XCTAssertEqual(halved.values, [1, 5, 9])
        // 6 -> 4: each output covers 1.5 inputs.
        let fractional = Tensor(Shape(1, 1, 1, 4))
        Resize(.area, .fixed(height: 1, width: 4)).forward([input], [fractional])
        for (value, expected) in zip(fractional.values, [(0 + 2 * 0.5) / 1.5, (2 * 0.5 + 4) / 1.5, (6 + 8 * 0.5) / 1.5, (8 * 0.5 + 10) / 1.5]) {
            XCTAssertEqual(Double(value), expected, accuracy: 1e-5)
        }
    }
}
