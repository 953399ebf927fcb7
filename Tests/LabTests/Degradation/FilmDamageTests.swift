import Engine
@testable import Lab
@testable import Pipeline
import XCTest

final class FilmDamageTests: XCTestCase {
    private func grey(_ value: Float, _ shape: Shape = Shape(1, 3, 64, 64)) -> Tensor {
        Tensor(shape, values: [Float](repeating: value, count: shape.count))
    }

    private func deviation(_ a: Tensor, _ b: Tensor) -> Double {
        let d = zip(a.values, b.values).map { Double($0 - $1) }
        return (d.map { $0 * $0 }.reduce(0, +) / Double(d.count)).squareRoot()
    }

    func testGrainIsStrongestAtMidGreyMonochromeAndRepeatable() {
        let damage = FilmDamage.grain(strength: 0.05, size: 1.5, monochrome: true, seed: 4)
        let mid = grey(0.5), dark = grey(0.05)
        XCTAssertEqual(deviation(damage.apply(to: mid), mid), 0.05, accuracy: 0.01)
        XCTAssertLessThan(deviation(damage.apply(to: dark), dark), 0.25 * deviation(damage.apply(to: mid), mid))
        let grained = damage.apply(to: mid)
        XCTAssertEqual(grained[0, 0, 10, 10], grained[0, 2, 10, 10], "monochrome grain is the same in every channel")
        XCTAssertEqual(grained.values, damage.apply(to: mid).values)
        // Correlated: neighbours move together far more than white noise would.
        var product = 0.0, square = 0.0
        for y in 0..<64 { for x in 0..<63 {
            let a = Double(grained[0, 0, y, x] - 0.5), b = Double(grained[0, 0, y, x + 1] - 0.5)
            product += a * b
            square += a * a
        } }
        XCTAssertGreaterThan(product / square, 0.3)
    }

    func testFlickerScalesTheFrame() {
        let flickered = FilmDamage.flicker(gain: 1.2).apply(to: grey(0.5))
        for value in flickered.values { XCTAssertEqual(value, 0.6, accuracy: 1e-6) }
    }

    func testDustLeavesDarkAndBrightSpecks() {
        let dusty = FilmDamage.dust(count: 12, radius: 2, seed: 9).apply(to: grey(0.5))
        let changed = dusty.values.filter { abs($0 - 0.5) > 0.3 }
        XCTAssertGreaterThan(changed.count, 12 * 3)
        XCTAssertTrue(changed.contains { $0 < 0.1 } && changed.contains { $0 > 0.9 })
    }

    func testScratchIsAVerticalLineAtItsColumn() {
        let scratched = FilmDamage.scratch(x: 20.5, width: 1.5, strength: 0.3).apply(to: grey(0.4))
        for y in [0, 31, 63] {
            XCTAssertEqual(scratched[0, 1, y, 20], 0.7, accuracy: 1e-6)
            XCTAssertEqual(scratched[0, 1, y, 25], 0.4, accuracy: 1e-6)
        }
    }
}
