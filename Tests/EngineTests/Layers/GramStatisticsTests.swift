import XCTest
@testable import Engine

final class GramStatisticsTests: XCTestCase {
    /// Channels 0 and 1 point the same way (cosine 1), channel 2 is orthogonal to both (cosine 0):
    /// means over the other channels 0.5, 0.5, 0; maxima 1, 1, 0.
    func testMeanAndMaxOfTheOffDiagonalCosines() throws {
        let layer = GramStatistics()
        let input = Tensor(Shape(1, 3, 1, 2), values: [1, 0, 2, 0, 0, 3])
        let output = Tensor(try layer.outputShapes(for: [input.shape])[0])
        XCTAssertEqual(output.shape, Shape(1, 6, 1, 1))
        layer.forward([input], [output])
        for (value, expected) in zip(output.values, [0.5, 0.5, 0, 1, 1, 0] as [Float]) { XCTAssertEqual(value, expected, accuracy: 1e-5) }
    }

    /// The per-channel normalisation makes the statistics blind to each channel's gain.
    func testChannelGainsDoNotMatter() throws {
        var generator = SeededGenerator(seed: 2)
        let input = randomTensor(Shape(2, 4, 3, 3), &generator)
        let scaled = input.copy()
        for n in 0..<2 { for c in 0..<4 { for i in 0..<9 { scaled.plane(n, c)[i] *= Float(c + 1) * 3 } } }
        let layer = GramStatistics(), plain = Tensor(Shape(2, 8, 1, 1)), gained = Tensor(Shape(2, 8, 1, 1))
        layer.forward([input], [plain])
        layer.forward([scaled], [gained])
        for (a, b) in zip(plain.values, gained.values) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertGreaterThan(Set(plain.values).count, 8, "the statistics differ between channels and items")
    }

    /// Random values keep clear of ties between the largest two cosines of a row (the max's kinks).
    func testGradientMatchesFiniteDifferences() throws {
        try checkGradients(GramStatistics(), inputShapes: [Shape(2, 4, 3, 5)])
        try checkGradients(GramStatistics(), inputShapes: [Shape(1, 6, 4, 4)], seed: 7)
    }

    func testNeedsTwoChannels() {
        XCTAssertThrowsError(try GramStatistics().outputShapes(for: [Shape(1, 1, 4, 4)]))
    }
}
