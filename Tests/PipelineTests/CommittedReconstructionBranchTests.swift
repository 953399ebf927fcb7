import Engine
import XCTest
@testable import Pipeline

/// The reconstruction branch committed in weights/ (scripts/pretrain-recon.sh), measured on
/// held-out photographs degraded with held-out seeds, as `filmsr evaluate-recon` does.
final class CommittedReconstructionBranchTests: XCTestCase {
    func testCommittedBranchReconstructsHeldOutLRBetterThanABicubicShrink() throws {
        let (branch, metadata, _) = try ReconstructionBranch.load(from: ReconstructionBranch.defaultPath)
        XCTAssertEqual(metadata["steps"], "2400", "the committed file is the finished run")
        let report = try ReconstructionEvaluation.run(branch: branch, heldOut: try PhotoLibrary.load(split: .heldOut), samplesPerFamily: 8)
        XCTAssertGreaterThan(report.overall.reconstructionPSNR, report.overall.bicubicPSNR + 0.5, "\(report.overall)")
    }
}
