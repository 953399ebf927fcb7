import Engine
import Foundation
import XCTest
@testable import Pipeline

/// The family classifier on E's embedding and R's residual gate (issue 4): old files still
/// read, a gated R starts as the ungated one, and a run with both starts from a plain branch.
final class FamilyClassifierTests: XCTestCase {
    func testFilesFromBeforeTheClassifierAndTheGateStillRead() throws {
        let configuration = #"{"embeddingSize":16,"encoderBlocks":1,"mapping":"pixelUnshuffle","reconstructorBlocks":1,"scale":4,"width":8}"#
        let decoded = try JSONDecoder().decode(ReconstructionConfiguration.self, from: Data(configuration.utf8))
        XCTAssertFalse(decoded.familyClassifier)
        XCTAssertFalse(decoded.residualGate)
        // The options of the first committed branch (weights/reconstruction-x4.safetensors).
        let options = #"{"batchSize":8,"checkpointEvery":50,"configuration":\#(configuration),"learningRate":0.0002,"lpipsWeight":0.1,"lrPatchSize":48,"seed":1,"steps":2400,"validateEvery":250}"#
        let old = try JSONDecoder().decode(PretrainingOptions.self, from: Data(options.utf8))
        XCTAssertEqual(old.familyWeight, PretrainingOptions().familyWeight)
        XCTAssertEqual(old.controllerWeight, PretrainingOptions().controllerWeight)
        XCTAssertNil(old.initialBranch)
    }

    func testAGatedReconstructorStartsAsTheUngatedOne() throws {
        var gated = ReconstructionBranchTests.tinyConfiguration()
        gated.residualGate = true
        gated.familyClassifier = true
        let plain = ReconstructionBranch(configuration: ReconstructionBranchTests.tinyConfiguration(), seed: 7)
        let branch = ReconstructionBranch(configuration: gated, seed: 7)
        var generator = SeededGenerator(seed: 2)
        let lr = Tensor(Shape(2, 3, 24, 24)), hr = Tensor(Shape(2, 3, 96, 96))
        lr.fillUniform(0...1, using: &generator)
        hr.fillUniform(0...1, using: &generator)
        XCTAssertEqual(try branch.reconstruct(hr: hr, embedding: try branch.embed(lr)).values,
                       try plain.reconstruct(hr: hr, embedding: try plain.embed(lr)).values)
        let logits = try branch.familyHead!.forward([try branch.embed(lr)])[0]
        XCTAssertEqual(logits.shape, Shape(2, DegradationFamily.allCases.count, 1, 1))
    }

    /// Started from a branch without them, a run copies E and R by name, trains the classifier
    /// (its cross-entropy logged) and the gate, and saves a branch that records both.
    func testPretrainingWithTheClassifierAndTheGate() throws {
        let folder = try temporaryFolder()
        let initial = ReconstructionBranch(configuration: ReconstructionBranchTests.tinyConfiguration(), seed: 11)
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
}
