import Engine
import Foundation
@testable import Pipeline
import PipelineTestSupport
import XCTest

/// The family classifier on E's embedding and R's residual gate (issue 4): old files still
/// read, and a gated R starts as the ungated one.
final class FamilyClassifierTests: XCTestCase {
    func testFilesFromBeforeTheClassifierAndTheGateStillRead() throws {
        let configuration = #"{"embeddingSize":16,"encoderBlocks":1,"mapping":"pixelUnshuffle","reconstructorBlocks":1,"scale":4,"width":8}"#
        let decoded = try JSONDecoder().decode(ReconstructionConfiguration.self, from: Data(configuration.utf8))
        XCTAssertFalse(decoded.familyClassifier)
        XCTAssertFalse(decoded.residualGate)
    }

    func testAGatedReconstructorStartsAsTheUngatedOne() throws {
        var gated = PipelineFixtures.tinyConfiguration()
        gated.residualGate = true
        gated.familyClassifier = true
        let plain = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 7)
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
}
