import Engine
import Foundation
import XCTest
@testable import Pipeline

final class ReconstructionPretrainingTests: XCTestCase {
    static func tinyOptions(steps: Int) -> PretrainingOptions {
        var options = PretrainingOptions()
        options.configuration = ReconstructionBranchTests.tinyConfiguration()
        options.steps = steps
        options.batchSize = 2
        options.lrPatchSize = 32
        options.learningRate = 1e-3
        options.checkpointEvery = 2
        options.validateEvery = 3
        return options
    }

    static func makeRun(_ options: PretrainingOptions, folder: String) throws -> ReconstructionPretraining {
        try ReconstructionPretraining(options: options, workFolder: folder, photos: try PhotoLibrary.load(split: .training),
                                      heldOut: try PhotoLibrary.load(split: .heldOut), lpips: try LPIPS.load(from: LPIPS.defaultWeightsPath))
    }

    /// Killed after step 5 was logged but before it was checkpointed (the last checkpoint being
    /// at step 4) and started again, a run ends with exactly the weights, losses and logs of an
    /// uninterrupted one.
    func testInterruptedRunResumesToTheSameResult() throws {
        let options = Self.tinyOptions(steps: 6)
        let whole = try temporaryFolder(), interrupted = try temporaryFolder()
        let reference = try Self.makeRun(options, folder: whole)
        try reference.run()

        let first = try Self.makeRun(options, folder: interrupted)
        try first.run(stoppingAfter: 4)
        XCTAssertEqual(first.completedSteps, 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted + "/reconstruction.safetensors"), "no result before the end")
        try TabularLog.append(interrupted + "/loss.tsv", ["4", "9", "9", "9", "9", "99"])  // the lost step's row
        let resumed = try Self.makeRun(options, folder: interrupted)
        XCTAssertEqual(resumed.completedSteps, 4)
        try resumed.run()

        XCTAssertEqual(resumed.branch.parameters.map(\.value.values), reference.branch.parameters.map(\.value.values))
        func lossColumns(_ folder: String) throws -> [String] {
            // Everything but the elapsed seconds.
            try String(contentsOfFile: folder + "/loss.tsv", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: "\t").dropLast().joined(separator: "\t") }
        }
        XCTAssertEqual(try lossColumns(interrupted), try lossColumns(whole))
        XCTAssertEqual(try lossColumns(whole).count, 7)
        XCTAssertEqual(try String(contentsOfFile: interrupted + "/validation.tsv", encoding: .utf8),
                       try String(contentsOfFile: whole + "/validation.tsv", encoding: .utf8))
        let result = try ReconstructionBranch.load(from: whole + "/reconstruction.safetensors")
        XCTAssertEqual(result.metadata["steps"], "6")
    }

    func testTrainingImprovesHeldOutReconstruction() throws {
        var options = Self.tinyOptions(steps: 40)
        options.checkpointEvery = 40
        options.validateEvery = 40
        let run = try Self.makeRun(options, folder: try temporaryFolder())
        let before = try run.validate()
        try run.run()
        let after = try run.validate()
        XCTAssertEqual(after.bicubic, before.bicubic)
        XCTAssertGreaterThan(after.reconstruction, before.reconstruction + 0.2, "held-out PSNR \(before) -> \(after)")
    }

    func testAFolderWithOtherOptionsIsRefused() throws {
        let folder = try temporaryFolder()
        try Self.makeRun(Self.tinyOptions(steps: 2), folder: folder).run()
        // A longer run of the same options continues...
        XCTAssertEqual(try Self.makeRun(Self.tinyOptions(steps: 3), folder: folder).completedSteps, 2)
        // ...another learning rate does not.
        var other = Self.tinyOptions(steps: 2)
        other.learningRate = 5e-4
        XCTAssertThrowsError(try Self.makeRun(other, folder: folder)) { error in
            XCTAssertEqual("\(error)", "\(folder): holds a run with other options; resume it with the same options or use another work folder")
        }
    }
}
