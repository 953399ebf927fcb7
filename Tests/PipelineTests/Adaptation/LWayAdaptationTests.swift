import Engine
import Foundation
import Media
@testable import Pipeline
import PipelineTestSupport
import TestSupport
import XCTest

final class LWayAdaptationTests: XCTestCase {
    func testWeightMapFollowsItsDefinition() throws {
        var generator = SeededGenerator(seed: 2)
        let lr = Tensor(Shape(2, 3, 7, 10))  // odd height: the last row is repeated
        lr.fillUniform(0...1, using: &generator)
        let map = HighFrequencyWeightMap.compute(lr)
        XCTAssertEqual(map.shape, Shape(2, 1, 7, 10))
        for n in 0..<2 {
            // Direct definition: detail energy of each 2x2 block over the three channels.
            func value(_ c: Int, _ y: Int, _ x: Int) -> Float { lr[n, c, min(y, 6), x] }
            var energies: [[Float]] = Array(repeating: Array(repeating: 0, count: 5), count: 4)
            for by in 0..<4 {
                for bx in 0..<5 {
                    var sum: Float = 0
                    for c in 0..<3 {
                        let (a, b) = (value(c, 2 * by, 2 * bx), value(c, 2 * by, 2 * bx + 1))
                        let (cc, d) = (value(c, 2 * by + 1, 2 * bx), value(c, 2 * by + 1, 2 * bx + 1))
                        let details = [(a + b - cc - d) / 2, (a - b + cc - d) / 2, (a - b - cc + d) / 2]
                        sum += details.reduce(0) { $0 + $1 * $1 }
                    }
                    energies[by][bx] = sum.squareRoot()
                }
            }
            let largest = energies.flatMap { $0 }.max()!
            for y in 0..<7 {
                for x in 0..<10 {
                    XCTAssertEqual(map[n, 0, y, x], energies[y / 2][x / 2] / largest, accuracy: 1e-5)
                }
            }
        }
        // A flat picture has no detail anywhere.
        let flat = Tensor(Shape(1, 3, 8, 8))
        flat.fill(0.4)
        XCTAssertEqual(HighFrequencyWeightMap.compute(flat).values, [Float](repeating: 0, count: 64))
    }

    func testWeightMapIsHighOnEdgesOfARealFrame() throws {
        let frame = try PipelineFixtures.reelFrames([30])[0]
        let map = HighFrequencyWeightMap.compute(frame)
        let values = map.values.sorted()
        XCTAssertEqual(values.last!, 1)
        // Most of a film frame is smooth: the median weight is far below the top.
        XCTAssertLessThan(values[values.count / 2], 0.35)
    }

    func testTunedParameterChoices() throws {
        let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
        let parameters = model.graph.parameters
        let total = parameters.reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(try TunedParameters.all.apply(to: parameters), total)
        let tuned = try TunedParameters.lastShare(0.65).apply(to: parameters)
        XCTAssertGreaterThanOrEqual(Double(tuned), 0.65 * Double(total))
        XCTAssertLessThan(Double(tuned), 0.65 * Double(total) + 40_000)  // at most one 64x64x3x3 layer more
        XCTAssertFalse(parameters.first!.isTrainable)
        XCTAssertTrue(parameters.last!.isTrainable)
        let first = parameters[0].name
        XCTAssertEqual(try TunedParameters.named([first]).apply(to: parameters), parameters[0].value.count)
        XCTAssertThrowsError(try TunedParameters.named(["nonexistent"]).apply(to: parameters)) { error in
            XCTAssertTrue("\(error)".hasPrefix("no weight of the model is named nonexistent; its layers are"), "\(error)")
        }
        XCTAssertThrowsError(try TunedParameters.lastShare(0).apply(to: parameters))
    }

    /// Fine-tuning the real compact model through a (small, untrained) reconstruction branch on
    /// reel frames: the self-supervised loss on held-back patches falls, the branch and frozen
    /// weights do not move, and a seed repeats the run exactly.
    func testAdaptationLowersTheSelfSupervisedLossAndRepeats() throws {
        let frames = try PipelineFixtures.reelFrames([0, 5, 10])
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        var options = AdaptationOptions()
        options.iterations = 8
        options.batchSize = 2
        options.lrPatchSize = 40
        options.learningRate = 1e-4
        options.tuned = .lastShare(0.5)
        options.heldOutShare = 0  // this test is about the training steps, not the stop rule
        func adapted() throws -> (weights: [[Float]], before: Double, after: Double, branch: [[Float]], frozen: [Float]) {
            let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
            let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 3)
            let branchBefore = branch.parameters.map(\.value.values)
            let adapter = try LWayAdapter(model: model, branch: branch, lpips: lpips, options: options)
            var generator = SeededGenerator(seed: 99)
            let heldBack = try PatchSampler(frames: frames.map { AdaptationFrame($0) }, patchSize: 40).batch(4, using: &generator).input
            let frozenBefore = model.graph.parameters[0].value.values
            let before = try adapter.loss(heldBack)
            let steps = try adapter.adapt(frames: frames.map { AdaptationFrame($0) }).steps
            XCTAssertEqual(steps.count, 8)
            let after = try adapter.loss(heldBack)
            XCTAssertEqual(branch.parameters.map(\.value.values), branchBefore, "the branch is frozen")
            XCTAssertEqual(model.graph.parameters[0].value.values, frozenBefore, "untuned layers are frozen")
            return (model.graph.parameters.map(\.value.values), before.l1 + before.lpips, after.l1 + after.lpips, branchBefore,
                    frozenBefore)
        }
        let first = try adapted(), second = try adapted()
        XCTAssertLessThan(first.after, first.before, "loss \(first.before) -> \(first.after)")
        XCTAssertEqual(first.weights, second.weights)
    }

    /// A learning rate far too high wrecks the model: the stop rule measures it on held-out
    /// frames, stops early and leaves the best weights measured in the model.
    func testStopRuleKeepsTheBestHeldOutWeights() throws {
        let frames = try PipelineFixtures.reelFrames([0, 5, 10, 15]).map { AdaptationFrame($0) }
        var options = AdaptationOptions()
        options.iterations = 12
        options.batchSize = 2
        options.lrPatchSize = 40
        options.learningRate = 3e-2
        options.validationInterval = 2
        options.patience = 2
        let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
        let pretrained = model.graph.parameters.map(\.value.values)
        let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 3)
        let adapter = try LWayAdapter(model: model, branch: branch, lpips: try LPIPS.load(from: LPIPS.defaultWeightsPath), options: options)
        let result = try adapter.adapt(frames: frames)
        let measured = result.steps.compactMap(\.validation)
        XCTAssertLessThan(result.steps.count, 12, "stopped early; held-out losses \(measured)")
        XCTAssertEqual(measured.count, result.steps.count / 2)
        let pretrainedLoss = try XCTUnwrap(result.pretrainedValidation), kept = try XCTUnwrap(result.keptValidation)
        XCTAssertEqual(kept, min(pretrainedLoss, measured.min()!))
        // The kept weights are the ones in the model: measured again, the same held-out loss.
        let (_, heldOut) = HeldOutValidation.split(frames, share: options.heldOutShare)
        let validation = try HeldOutValidation(frames: heldOut, patchSize: 40, target: .same, seed: options.seed)
        let again = try adapter.loss(validation.input, target: validation.target)
        XCTAssertEqual(again.l1 + again.lpips, kept, accuracy: 1e-9)
        if result.keptIteration == 0 { XCTAssertEqual(model.graph.parameters.map(\.value.values), pretrained) }
    }

    func testHeldOutFramesAreSpreadAndNeverAllFrames() {
        let frames = (0..<8).map { AdaptationFrame(Tensor(Shape(1, 3, 4, 4), values: [Float](repeating: Float($0), count: 48))) }
        let (training, heldOut) = HeldOutValidation.split(frames, share: 0.25)
        XCTAssertEqual(heldOut.map { $0.frame[0, 0, 0, 0] }, [2, 6])
        XCTAssertEqual(training.count, 6)
        XCTAssertEqual(HeldOutValidation.split(Array(frames.prefix(1)), share: 0.25).heldOut.count, 0)
        XCTAssertEqual(HeldOutValidation.split(Array(frames.prefix(2)), share: 0.9).training.count, 1)
    }

    /// With the committed feature-alignment regulariser weighted heavily, adaptation lowers the
    /// regulariser's loss of S's outputs on held-back patches; without its weights it refuses.
    func testFeatureAlignmentRegularisesTheOutputs() throws {
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        let regulariser = try FeatureAlignmentRegulariser.load(from: FeatureAlignmentRegulariser.defaultPath)
        var options = AdaptationOptions()
        options.iterations = 6
        options.batchSize = 2
        options.lrPatchSize = 40
        options.learningRate = 1e-4
        options.heldOutShare = 0
        options.featureAlignmentWeight = 10
        let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
        let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 3)
        XCTAssertThrowsError(try LWayAdapter(model: model, branch: branch, lpips: lpips, options: options)) { error in
            XCTAssertTrue("\(error)".hasPrefix("feature alignment needs the regulariser's weights"), "\(error)")
        }
        let adapter = try LWayAdapter(model: model, branch: branch, lpips: lpips, options: options, regulariser: regulariser)
        let frames = try PipelineFixtures.reelFrames([20, 30, 40])
        var generator = SeededGenerator(seed: 7)
        let heldBack = try PatchSampler(frames: frames.map { AdaptationFrame($0) }, patchSize: 40).batch(4, using: &generator).input
        let before = try regulariser.distances(try model.upscale(heldBack)).reduce(0, +)
        let steps = try adapter.adapt(frames: frames.map { AdaptationFrame($0) }).steps
        XCTAssertTrue(steps.allSatisfy { $0.featureAlignment > 0 && $0.total > $0.l1 + $0.lpips })
        let after = try regulariser.distances(try model.upscale(heldBack)).reduce(0, +)
        XCTAssertLessThan(after, before)
    }

    func testMismatchedModelAndBranchAreRefused() throws {
        let model = try SRModelSpec.named("compact-x2").load(from: ModelLocation.defaultDirectory)
        XCTAssertThrowsError(try LWayAdapter(model: model, branch: ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration()),
                                             lpips: try LPIPS.load(from: LPIPS.defaultWeightsPath), options: AdaptationOptions())) { error in
            XCTAssertEqual("\(error)", "model compact-x2 upscales x2 but the reconstruction branch was trained for x4")
        }
    }
}
