import Engine
import Foundation
@testable import Lab
@testable import Pipeline
import TestSupport
import XCTest

final class FeatureAlignmentPretrainingTests: XCTestCase {
    static func tinyOptions(steps: Int) -> FeatureAlignmentTrainingOptions {
        var options = FeatureAlignmentTrainingOptions()
        options.steps = steps
        options.batchSize = 2
        options.patchSize = 48
        options.calibrationPatches = 8
        options.learningRate = 2e-3
        options.checkpointEvery = 2
        options.validateEvery = 3
        return options
    }

    func makeRun(_ options: FeatureAlignmentTrainingOptions, folder: String) throws -> FeatureAlignmentPretraining {
        try FeatureAlignmentPretraining(options: options, workFolder: folder, photos: try TrainingPhotos.training.get(),
                                        heldOut: try TrainingPhotos.heldOut.get(), lpips: LPIPS.defaultWeightsPath)
    }

    /// Killed after step 5 was logged but before it was checkpointed (the last checkpoint at
    /// step 4) and started again, a run ends with the weights and logs of an uninterrupted one.
    func testInterruptedRunResumesToTheSameResult() throws {
        let options = Self.tinyOptions(steps: 6)
        let whole = try temporaryFolder(), interrupted = try temporaryFolder()
        let reference = try makeRun(options, folder: whole)
        try reference.run()

        let first = try makeRun(options, folder: interrupted)
        try first.run(stoppingAfter: 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted + "/far.safetensors"), "no result before the end")
        try TabularLog.append(interrupted + "/loss.tsv", ["4", "9", "9", "99"])  // the lost step's row
        let resumed = try makeRun(options, folder: interrupted)
        XCTAssertEqual(resumed.completedSteps, 4)
        try resumed.run()

        XCTAssertEqual(resumed.regulariser.ownParameters.map(\.value.values), reference.regulariser.ownParameters.map(\.value.values))
        func lossColumns(_ folder: String) throws -> [String] {
            try String(contentsOfFile: folder + "/loss.tsv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: "\t").dropLast().joined(separator: "\t") }
        }
        XCTAssertEqual(try lossColumns(interrupted), try lossColumns(whole))
        XCTAssertEqual(try lossColumns(whole).count, 7)
        XCTAssertEqual(try String(contentsOfFile: interrupted + "/validation.tsv", encoding: .utf8),
                       try String(contentsOfFile: whole + "/validation.tsv", encoding: .utf8))
        let saved = try FeatureAlignmentRegulariser.load(from: whole + "/far.safetensors")
        XCTAssertEqual(saved.ownParameters.map(\.value.values), reference.regulariser.ownParameters.map(\.value.values))
        XCTAssertTrue(saved.encoder.parameters.allSatisfy { !$0.isTrainable }, "loaded for use as a loss: frozen")
    }

    func testTrainingLowersTheHeldOutAlignmentLoss() throws {
        var options = Self.tinyOptions(steps: 40)
        options.batchSize = 4
        options.patchSize = 64
        options.checkpointEvery = 40
        options.validateEvery = 40
        let run = try makeRun(options, folder: try temporaryFolder())
        let before = try run.validate()
        try run.run()
        let after = try run.validate()
        XCTAssertEqual(after.targetVariance, before.targetVariance, "F is fixed")
        XCTAssertLessThan(after.alignment, 0.9 * before.alignment, "held-out alignment \(before) -> \(after)")
    }

    func testAFolderWithOtherOptionsIsRefused() throws {
        let folder = try temporaryFolder()
        try makeRun(Self.tinyOptions(steps: 2), folder: folder).run()
        XCTAssertEqual(try makeRun(Self.tinyOptions(steps: 3), folder: folder).completedSteps, 2)
        var other = Self.tinyOptions(steps: 2)
        other.seed = 2
        XCTAssertThrowsError(try makeRun(other, folder: folder)) { error in
            XCTAssertEqual("\(error)", "\(folder): holds a run with other options; resume it with the same options or use another work folder")
        }
    }

    func testPatchesAreTurnedByTheEightSymmetriesOfTheSquare() {
        let picture = Tensor(Shape(1, 1, 2, 2), values: [1, 2, 3, 4])
        XCTAssertEqual(FeatureAlignmentPretraining.turned(picture, symmetry: 0).values, [1, 2, 3, 4])
        XCTAssertEqual(FeatureAlignmentPretraining.turned(picture, symmetry: 1).values, [2, 1, 4, 3])
        XCTAssertEqual(FeatureAlignmentPretraining.turned(picture, symmetry: 2).values, [3, 4, 1, 2])
        XCTAssertEqual(FeatureAlignmentPretraining.turned(picture, symmetry: 4).values, [1, 3, 2, 4])
        let numbered = Tensor(Shape(1, 1, 3, 3), values: (0..<9).map(Float.init))
        let all = Set((0..<8).map { FeatureAlignmentPretraining.turned(numbered, symmetry: $0).values })
        XCTAssertEqual(all.count, 8)
    }
}
