import Engine
@testable import Lab
@testable import Pipeline
import XCTest

final class DegradationOperationTests: XCTestCase {
    private func image(_ seed: UInt64, _ shape: Shape = Shape(1, 3, 24, 32)) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let tensor = Tensor(shape)
        tensor.fillUniform(0...1, using: &generator)
        return tensor
    }

    func testFilteringWithAnImpulseChangesNothingAndAConstantStaysConstant() {
        var impulse = [Float](repeating: 0, count: 25)
        impulse[12] = 1
        let picture = image(1)
        XCTAssertEqual(KernelFilter.apply(impulse, size: 5, to: picture).values, picture.values)
        let grey = Tensor(Shape(1, 1, 9, 9), values: [Float](repeating: 0.4, count: 81))
        let blurred = KernelFilter.apply(BlurKernel.sinc(cutoff: 1.2).weights(size: 7), size: 7, to: grey)
        for value in blurred.values { XCTAssertEqual(value, 0.4, accuracy: 1e-5) }
    }

    func testFilteringMirrorsTheBorderWithoutRepeatingTheEdge() {
        // 1-D along x: [a b c] with kernel [1 0 0] (reads x - 1): at x = 0 it reads x = 1.
        let row = Tensor(Shape(1, 1, 1, 3), values: [10, 20, 30])
        var shiftRight = [Float](repeating: 0, count: 9)
        shiftRight[3] = 1  // centre row, left tap
        XCTAssertEqual(KernelFilter.apply(shiftRight, size: 3, to: row).values, [20, 10, 20])
    }

    func testGaussianNoiseHasTheRequestedStrengthAndIsSeeded() {
        let flat = Tensor(Shape(1, 3, 64, 64), values: [Float](repeating: 0.5, count: 3 * 64 * 64))
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7)
        let noisy = Noise.gaussian(sigma: 10, grey: false).apply(to: flat, using: &first)
        XCTAssertEqual(noisy.values, Noise.gaussian(sigma: 10, grey: false).apply(to: flat, using: &second).values)
        let differences = zip(noisy.values, flat.values).map { Double($0 - $1) }
        let deviation = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        XCTAssertEqual(deviation * 255, 10, accuracy: 0.5)
        // Grey noise is the same in every channel of a pixel.
        var third = SeededGenerator(seed: 8)
        let grey = Noise.gaussian(sigma: 10, grey: true).apply(to: flat, using: &third)
        XCTAssertEqual(grey[0, 0, 5, 5], grey[0, 2, 5, 5])
        XCTAssertNotEqual(noisy[0, 0, 5, 5], noisy[0, 2, 5, 5])
    }

    func testPoissonNoiseGrowsWithBrightnessAndScale() {
        func deviation(level: Float, scale: Double) -> Double {
            // A full ramp of 8-bit levels first, like a real picture (256 counts per unit), then flat grey.
            var values = [Float](repeating: level, count: 4096)
            for k in 0..<256 { values[k] = Float(k) / 255 }
            let flat = Tensor(Shape(1, 1, 64, 64), values: values)
            var generator = SeededGenerator(seed: 3)
            let noisy = Noise.poisson(scale: scale, grey: false).apply(to: flat, using: &generator)
            let d = zip(noisy.values.dropFirst(256), values.dropFirst(256)).map { Double($0 - $1) }
            return (d.map { $0 * $0 }.reduce(0, +) / Double(d.count)).squareRoot()
        }
        XCTAssertGreaterThan(deviation(level: 0.8, scale: 1), deviation(level: 0.1, scale: 1))
        XCTAssertEqual(deviation(level: 0.5, scale: 2) / deviation(level: 0.5, scale: 1), 2, accuracy: 0.2)
    }

    func testPoissonDrawsHaveTheRightMean() {
        var generator = SeededGenerator(seed: 5)
        for mean in [0.5, 4, 25, 200] {
            let draws = (0..<4000).map { _ in Double(Noise.poisson(mean, &generator)) }
            XCTAssertEqual(draws.reduce(0, +) / 4000, mean, accuracy: 4 * (mean / 4000).squareRoot() + 0.02)
        }
    }
}
