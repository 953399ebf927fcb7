import Engine
import Foundation
@testable import Lab
@testable import Pipeline
import PipelineTestSupport
import TestSupport
import XCTest

final class ReconstructionPretrainingTests: XCTestCase {
    static func tinyOptions(steps: Int) -> PretrainingOptions {
        var options = PretrainingOptions()
        options.configuration = PipelineFixtures.tinyConfiguration()
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

    /// Started from a branch without them, a run copies E and R by name, trains the classifier
    /// (its cross-entropy logged) and the gate, and saves a branch that records both.
    func testPretrainingWithTheClassifierAndTheGate() throws {
        let folder = try temporaryFolder()
        let initial = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 11)
        try initial.save(to: folder + "/initial.safetensors")
        var options = ReconstructionPretrainingTests.tinyOptions(steps: 3)
        options.configuration.familyClassifier = true
        options.configuration.residualGate = true
        options.familyWeight = 1
        options.initialBranch = folder + "/initial.safetensors"
        let run = try ReconstructionPretrainingTests.makeRun(options, folder: folder + "/run")
        for (copied, source) in zip(run.branch.encoder.parameters, initial.encoder.parameters) {
            XCTAssertEqual(copied.value.values, source.value.values, copied.name)
        }
        let gate = try XCTUnwrap(run.branch.reconstructor.parameters.first { $0.name == "reconstructor.gate.weight" })
        XCTAssertTrue(gate.value.values.allSatisfy { $0 == 0 })
        let headBefore = run.branch.familyHead!.parameters.map(\.value.values)
        let trained = try run.run()
        XCTAssertNotEqual(trained.familyHead!.parameters.map(\.value.values), headBefore)
        XCTAssertFalse(gate.value.values.allSatisfy { $0 == 0 })
        let lines = try String(contentsOfFile: run.folder.lossLog, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines[0].hasSuffix("\tfamily_cross_entropy"))
        let crossEntropy = try XCTUnwrap(Double(lines[1].split(separator: "\t").last!))
        XCTAssertEqual(crossEntropy, log(6), accuracy: 0.7)
        let saved = try ReconstructionBranch.load(from: run.folder.result).branch
        XCTAssertTrue(saved.configuration.familyClassifier && saved.configuration.residualGate)
        XCTAssertEqual(saved.familyHead!.parameters.map(\.value.values), trained.familyHead!.parameters.map(\.value.values))
    }

    /// Started from a trained branch, a controller run copies its E and R, trains the head
    /// towards the true HR's indicator, and saves a branch that records the controller.
    func testPretrainingWithTheControllerStartsFromAnotherBranch() throws {
        let folder = NSTemporaryDirectory() + "controller-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let initial = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 11)
        try initial.save(to: folder + "/initial.safetensors")
        var options = ReconstructionPretrainingTests.tinyOptions(steps: 3)
        options.configuration = PipelineFixtures.controllerConfiguration()
        options.initialBranch = folder + "/initial.safetensors"
        options.controllerWeight = 1
        let start = try ReconstructionPretrainingTests.makeRun(options, folder: folder + "/run")
        XCTAssertEqual(start.branch.reconstructor.parameters.map(\.value.values), initial.reconstructor.parameters.map(\.value.values))
        let headBefore = start.branch.qualityHead!.parameters.map(\.value.values)
        let trained = try start.run()
        XCTAssertNotEqual(trained.qualityHead!.parameters.map(\.value.values), headBefore)
        let saved = try ReconstructionBranch.load(from: folder + "/run/reconstruction.safetensors").branch
        XCTAssertTrue(saved.configuration.controller)
        XCTAssertEqual(saved.qualityHead!.parameters.map(\.value.values), trained.qualityHead!.parameters.map(\.value.values))

        var other = options
        other.configuration.width = 12
        XCTAssertThrowsError(try ReconstructionPretrainingTests.makeRun(other, folder: folder + "/other")) { error in
            XCTAssertTrue("\(error)".contains("initial.safetensors: a branch of another shape"), "\(error)")
        }
    }

    func testUntrainedReconstructorStartsNearAPlainShrink() throws {
        // The residual design: before training, R(HR, e) is the area shrink plus a small correction.
        let branch = ReconstructionBranch()
        let photos = try PhotoLibrary.load(split: .heldOut)
        var generator = SeededGenerator(seed: 9)
        let hr = photos.randomCrop(size: 128, using: &generator)
        let estimate = try branch.reconstruct(hr: hr, embedding: try branch.embed(Resize.apply(.area, to: hr, height: 32, width: 32)))
        XCTAssertGreaterThan(Metrics.psnr(estimate, Resize.apply(.area, to: hr, height: 32, width: 32)), 25)
    }

    /// The options of the first committed branch (weights/reconstruction-x4.safetensors), from
    /// before the family classifier, the residual gate and the controller, still read.
    func testOptionsFromBeforeTheClassifierStillRead() throws {
        let configuration = #"{"embeddingSize":16,"encoderBlocks":1,"mapping":"pixelUnshuffle","reconstructorBlocks":1,"scale":4,"width":8}"#
        let options = #"{"batchSize":8,"checkpointEvery":50,"configuration":\#(configuration),"learningRate":0.0002,"lpipsWeight":0.1,"lrPatchSize":48,"seed":1,"steps":2400,"validateEvery":250}"#
        let old = try JSONDecoder().decode(PretrainingOptions.self, from: Data(options.utf8))
        XCTAssertEqual(old.familyWeight, PretrainingOptions().familyWeight)
        XCTAssertEqual(old.controllerWeight, PretrainingOptions().controllerWeight)
        XCTAssertNil(old.initialBranch)
    }
}
