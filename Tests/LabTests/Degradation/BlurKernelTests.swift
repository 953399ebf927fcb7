import Engine
@testable import Lab
@testable import Pipeline
import XCTest

final class BlurKernelTests: XCTestCase {
    private func sum(_ weights: [Float]) -> Double { weights.reduce(0) { $0 + Double($1) } }

    func testEveryKindSumsToOneAndPeaksInTheMiddle() {
        let kernels: [BlurKernel] = [
            .gaussian(sigmaX: 1.5, sigmaY: 1.5, angle: 0), .gaussian(sigmaX: 2.5, sigmaY: 0.6, angle: 0.7),
            .generalized(sigmaX: 1.2, sigmaY: 2, angle: -1, beta: 0.5), .plateau(sigmaX: 1, sigmaY: 1, angle: 0, beta: 1.5),
            .sinc(cutoff: Double.pi / 2),
        ]
        for kernel in kernels {
            let weights = kernel.weights(size: 13)
            XCTAssertEqual(sum(weights), 1, accuracy: 1e-5, "\(kernel)")
            XCTAssertEqual(weights.max(), weights[6 * 13 + 6], "\(kernel) peaks off centre")
        }
    }

    func testIsotropicGaussianMatchesItsFormulaAndIsSymmetric() {
        let weights = BlurKernel.gaussian(sigmaX: 1, sigmaY: 1, angle: 0).weights(size: 7)
        // Ratio of neighbours follows exp(-(x^2 + y^2) / 2).
        XCTAssertEqual(Double(weights[3 * 7 + 4] / weights[3 * 7 + 3]), exp(-0.5), accuracy: 1e-5)
        XCTAssertEqual(Double(weights[4 * 7 + 4] / weights[3 * 7 + 3]), exp(-1), accuracy: 1e-5)
        for y in 0..<7 { for x in 0..<7 { XCTAssertEqual(weights[y * 7 + x], weights[x * 7 + y], accuracy: 1e-7) } }
    }

    func testAnisotropicKernelFollowsItsAngle() {
        // Long axis along x: wider horizontally; rotated by 90 degrees: wider vertically.
        let flat = BlurKernel.gaussian(sigmaX: 3, sigmaY: 0.5, angle: 0).weights(size: 9)
        XCTAssertGreaterThan(flat[4 * 9 + 7], flat[7 * 9 + 4])
        let turned = BlurKernel.gaussian(sigmaX: 3, sigmaY: 0.5, angle: Double.pi / 2).weights(size: 9)
        XCTAssertEqual(turned[7 * 9 + 4], flat[4 * 9 + 7], accuracy: 1e-6)
    }

    func testHeavierTailsForSmallBeta() {
        let heavy = BlurKernel.generalized(sigmaX: 1, sigmaY: 1, angle: 0, beta: 0.5).weights(size: 11)
        let light = BlurKernel.generalized(sigmaX: 1, sigmaY: 1, angle: 0, beta: 4).weights(size: 11)
        XCTAssertGreaterThan(heavy[5 * 11], light[5 * 11], "beta 0.5 keeps more weight at the border")
    }

    func testSincIsALowPassWithRinging() {
        let weights = BlurKernel.sinc(cutoff: Double.pi / 3).weights(size: 21)
        XCTAssertLessThan(weights.min()!, 0, "an ideal low-pass rings: some weights are negative")
    }

    func testSamplerIsDeterministicAndFollowsThePublishedRanges() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        var kinds: [String: Int] = [:]
        for _ in 0..<2000 {
            let a = BlurKernelSampler().sample(using: &first), b = BlurKernelSampler().sample(using: &second)
            XCTAssertEqual(a.kernel, b.kernel)
            XCTAssertTrue(a.size % 2 == 1 && (7...21).contains(a.size))
            let kind = "\(a.kernel)".split(separator: "(").first.map(String.init) ?? ""
            kinds[kind, default: 0] += 1
        }
        // Sinc 10 %; of the rest, plain Gaussians 70 %.
        XCTAssertEqual(Double(kinds["sinc"] ?? 0) / 2000, 0.1, accuracy: 0.025)
        XCTAssertEqual(Double(kinds["gaussian"] ?? 0) / 2000, 0.9 * 0.7, accuracy: 0.04)
    }
}
