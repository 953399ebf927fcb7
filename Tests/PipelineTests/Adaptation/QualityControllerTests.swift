import Engine
import Foundation
@testable import Pipeline
import PipelineTestSupport
import XCTest

/// The HR-aware controller: its indicator and extents, the gradient of the controlled
/// reconstruction, pretraining with its head, and adaptation that needs it.
final class QualityControllerTests: XCTestCase {
    /// The indicator of a true HR (a clean reel frame) is larger than that of the enlarged LR
    /// itself (0) and of a blurred HR; the extent is 1 when the measured indicator reaches the
    /// predicted one, and grows (to its bound) as the candidate falls short of it.
    func testIndicatorAndExtents() throws {
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        let hr = try PipelineFixtures.reelFrames([40])[0].crop(top: 0, left: 0, height: 96, width: 128)
        let lr = Resize.apply(.area, to: hr, height: 24, width: 32)
        let enlarged = Resize.apply(.bicubic, to: lr, height: 96, width: 128)
        let blurred = Resize.apply(.bilinear, to: Resize.apply(.area, to: hr, height: 48, width: 64), height: 96, width: 128)
        let indicators = try QualityController.indicator(lr: Tensor(stacking: [lr, lr, lr]), candidate: Tensor(stacking: [hr, blurred, enlarged]), lpips: lpips)
        XCTAssertGreaterThan(indicators[0], indicators[1])
        XCTAssertEqual(indicators[2], 0, accuracy: 1e-6)
        let predicted = Tensor(Shape(4, 1, 1, 1), values: [0.3, 0.3, 0.3, 0.001])
        XCTAssertEqual(QualityController.extents(predicted: predicted, measured: [0.3, 0.6, 0.2, 0.2]), [1, 1, 1.5, 1])
        XCTAssertEqual(QualityController.extents(predicted: predicted, measured: [0, 0, 0, 0]).prefix(3), [2, 2, 2])
    }

    /// d/d hr of sum(w * R_c(hr, e)) with fixed extents, through R and through the area shrink,
    /// against central differences.
    func testControlledReconstructionGradientMatchesFiniteDifferences() throws {
        let branch = ReconstructionBranch(configuration: PipelineFixtures.controllerConfiguration(), seed: 4)
        var generator = SeededGenerator(seed: 8)
        let hr = Tensor(Shape(2, 3, 16, 16)), weights = Tensor(Shape(2, 3, 4, 4)), embedding = Tensor(Shape(2, 16, 1, 1))
        hr.fillUniform(0...1, using: &generator)
        weights.fillUniform(-1...1, using: &generator)
        embedding.fillUniform(-1...1, using: &generator)
        let extents: [Float] = [1.0, 1.7]
        func objective(_ input: Tensor) throws -> Double {
            let estimate = try branch.reconstructor.forward([input, embedding])[0]
            let controlled = QualityController.apply(extents, estimate: estimate, hr: input)
            return zip(controlled.values, weights.values).reduce(0) { $0 + Double($1.0 * $1.1) }
        }
        _ = try branch.reconstructor.forward([hr, embedding], training: true)
        branch.reconstructor.zeroGradients()
        let analytic = branch.reconstructor.backward([QualityController.estimateGradient(weights, extents: extents)])[0]
        analytic.add(QualityController.shrinkGradient(weights, extents: extents, hrShape: hr.shape))
        let step: Float = 1e-2
        for index in [0, 37, 300, 511, 700, 1535] {
            let saved = hr.buffer[index]
            hr.buffer[index] = saved + step
            let plus = try objective(hr)
            hr.buffer[index] = saved - step
            let minus = try objective(hr)
            hr.buffer[index] = saved
            let numeric = (plus - minus) / Double(2 * step)
            XCTAssertEqual(Double(analytic.buffer[index]), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), "entry \(index)")
        }
    }

    /// Branches saved before the controller existed read as having none, and adaptation with
    /// the controller refuses them; with a head it runs.
    func testAdaptationNeedsAControllerBranch() throws {
        let old = #"{"embeddingSize":16,"encoderBlocks":1,"mapping":"pixelUnshuffle","reconstructorBlocks":1,"scale":4,"width":8}"#
        XCTAssertFalse(try JSONDecoder().decode(ReconstructionConfiguration.self, from: Data(old.utf8)).controller)
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        var options = AdaptationOptions()
        options.controller = true
        options.iterations = 2
        options.batchSize = 1
        options.lrPatchSize = 32
        options.heldOutShare = 0
        let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
        XCTAssertThrowsError(try LWayAdapter(model: model, branch: ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration()),
                                             lpips: lpips, options: options)) { error in
            XCTAssertTrue("\(error)".hasPrefix("the reconstruction branch has no controller head"), "\(error)")
        }
        let adapter = try LWayAdapter(model: model, branch: ReconstructionBranch(configuration: PipelineFixtures.controllerConfiguration()), lpips: lpips, options: options)
        let frames = try PipelineFixtures.reelFrames([0, 1]).map { AdaptationFrame($0) }
        let result = try adapter.adapt(frames: frames)
        XCTAssertEqual(result.steps.count, 2)
        XCTAssertTrue(result.steps.allSatisfy { $0.total.isFinite })
    }
}
