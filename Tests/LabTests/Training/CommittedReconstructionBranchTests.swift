import Engine
@testable import Lab
@testable import Pipeline
import XCTest

/// The reconstruction branches committed in weights/, measured on held-out photographs degraded
/// with held-out seeds, as `filmsr lab evaluate recon` does.
final class CommittedReconstructionBranchTests: XCTestCase {
    /// scripts/train-recon.sh
    func testCommittedBranchReconstructsHeldOutLRBetterThanABicubicShrink() throws {
        let (branch, metadata, _) = try ReconstructionBranch.load(from: ReconstructionBranch.defaultPath)
        XCTAssertEqual(metadata["steps"], "2400", "the committed file is the finished run")
        let report = try ReconstructionEvaluation.run(branch: branch, heldOut: try PhotoLibrary.load(split: .heldOut), samplesPerFamily: 8)
        XCTAssertGreaterThan(report.overall.reconstructionPSNR, report.overall.bicubicPSNR + 0.5, "\(report.overall)")
    }

    /// scripts/train-recon-bank.sh, stored in float16: R beats both plain shrinks overall, and
    /// E's embeddings and its family read-out do better than chance.
    func testBankBranchBeatsThePlainShrinksAndItsEmbeddingsTheFamiliesByChance() throws {
        let (branch, metadata, _) = try ReconstructionBranch.load(from: ReconstructionBranch.defaultBankPath)
        XCTAssertTrue(branch.configuration.degradationBank && branch.configuration.controller && branch.configuration.familyClassifier)
        XCTAssertEqual(metadata["steps"], "2000", "the committed file is the finished second stage")
        let report = try ReconstructionEvaluation.run(branch: branch, heldOut: try PhotoLibrary.load(split: .heldOut), samplesPerFamily: 8)
        let overall = report.overall
        XCTAssertGreaterThan(overall.reconstructionPSNR, overall.bicubicPSNR + 2, "\(overall)")
        XCTAssertGreaterThan(overall.reconstructionPSNR, overall.areaPSNR + 0.1, "\(overall)")
        XCTAssertGreaterThan(overall.nearestNeighbourAccuracy, report.chanceAccuracy + 0.05, "\(overall)")
        XCTAssertGreaterThan(try XCTUnwrap(overall.classifierAccuracy), report.chanceAccuracy + 0.05, "\(overall)")
        // The confusion table holds every pair once, its diagonal the nearest-neighbour matches.
        XCTAssertEqual(report.neighbourConfusion.map { $0.reduce(0, +) }, report.families.map(\.samples))
        let matches = report.neighbourConfusion.indices.reduce(0) { $0 + report.neighbourConfusion[$1][$1] }
        XCTAssertEqual(Double(matches) / Double(overall.samples), overall.nearestNeighbourAccuracy, accuracy: 1e-12)
        // Unlike the first branches, R does not reproduce LR better from a blurred HR.
        XCTAssertGreaterThan(report.blurredHR[0].reconstructionPSNR, report.blurredHR[2].reconstructionPSNR, "\(report.blurredHR)")
        // On larger pictures E has more evidence: nearest neighbours find the family over twice
        // as often as chance.
        let larger = try ReconstructionEvaluation.run(branch: branch, heldOut: try PhotoLibrary.load(split: .heldOut), samplesPerFamily: 8,
                                                      lrPatchSize: 96, blurSigmas: [])
        XCTAssertGreaterThan(larger.overall.nearestNeighbourAccuracy, 2 * larger.chanceAccuracy, "\(larger.overall)")
        XCTAssertGreaterThan(larger.overall.reconstructionPSNR, larger.overall.areaPSNR, "\(larger.overall)")
    }
}
