import Engine
@testable import Lab
@testable import Pipeline
import PipelineTestSupport
import XCTest

final class LinearDegradationBankTests: XCTestCase {
    /// Each operator of the bank is what the synthesis does for a Gaussian blur then a shrink
    /// (KernelFilter mirrored at the borders, then Resize), to the last border pixel.
    func testEveryOperatorIsTheSynthesisBlurThenShrink() throws {
        let bank = LinearDegradationBank(scale: 4)
        XCTAssertEqual(bank.filters.count, LinearDegradationBank.methods.count * LinearDegradationBank.sigmas.count)
        XCTAssertEqual(LinearDegradationBank.operatorNames.count, bank.filters.count)
        XCTAssertEqual(LinearDegradationBank.operatorNames[LinearDegradationBank.areaIndex], "area")
        for filter in bank.filters { XCTAssertEqual(Double(filter.reduce(0, +)), 1, accuracy: 1e-5) }
        var generator = SeededGenerator(seed: 4)
        let hr = try PhotoLibrary.load(split: .heldOut).randomCrop(size: 64, using: &generator)
        let candidates = Tensor(Shape(1, 3 * bank.filters.count, 16, 16))
        bank.layer.forward([hr], [candidates])
        for (m, method) in LinearDegradationBank.methods.enumerated() {
            for (s, sigma) in LinearDegradationBank.sigmas.enumerated() {
                var blurred = hr
                if sigma > 0 {
                    let size = GaussianSupport.side(sigma: sigma)
                    blurred = KernelFilter.apply(BlurKernel.gaussian(sigmaX: sigma, sigmaY: sigma, angle: 0).weights(size: size), size: size, to: hr)
                }
                let expected = Resize.apply(method, to: blurred, height: 16, width: 16)
                let k = m * LinearDegradationBank.sigmas.count + s
                let operatorOutput = candidates.item(0, channels: (3 * k)..<(3 * k + 3))
                XCTAssertGreaterThan(Metrics.psnr(operatorOutput, expected), 100, "\(method) sigma \(sigma)")
            }
        }
        // The operators differ: on a picture of noise, the sharpest and the softest are far apart.
        let noise = Tensor(Shape(1, 3, 64, 64))
        noise.fillUniform(0...1, using: &generator)
        bank.layer.forward([noise], [candidates])
        let sharpest = candidates.item(0, channels: 0..<3)
        let softestIndex = LinearDegradationBank.sigmas.count - 1
        let softest = candidates.item(0, channels: (3 * softestIndex)..<(3 * softestIndex + 3))
        XCTAssertLessThan(Metrics.psnr(sharpest, softest), 25)
    }

    /// A branch given the bank starts where it was without it (its blend all but the area
    /// shrink), so that `--initial` continues a trained branch from the same outputs.
    func testAnUntrainedBlendIsTheAreaShrinkR() throws {
        var configuration = PipelineFixtures.tinyConfiguration()
        let plain = ReconstructionBranch(configuration: configuration, seed: 3)
        configuration.degradationBank = true
        let banked = ReconstructionBranch(configuration: configuration, seed: 3)
        XCTAssertTrue(banked.configuration.hasTheSameBody(as: plain.configuration))
        var generator = SeededGenerator(seed: 2)
        let hr = try PhotoLibrary.load(split: .heldOut).randomCrop(size: 96, using: &generator)
        let lr = Resize.apply(.bicubic, to: hr, height: 24, width: 24)
        let embedding = try plain.embed(lr)
        XCTAssertEqual(try banked.embed(lr).values, embedding.values)
        let difference = zip(try plain.reconstruct(hr: hr, embedding: embedding).values,
                             try banked.reconstruct(hr: hr, embedding: embedding).values).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(difference, 1e-3)
        XCTAssertGreaterThan(difference, 0, "the blend is a softmax: the other operators weigh in a little")
    }
}
