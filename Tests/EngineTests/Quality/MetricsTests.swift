import Foundation
import XCTest
@testable import Engine

final class MetricsTests: XCTestCase {
    /// Against scikit-image's structural_similarity (scripts/reference/ssim_reference.py) on the
    /// LPIPS fixture pairs.
    func testSSIMMatchesScikitImage() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/EngineTests/Reference/ssim.json"))
        let pairs = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["pairs"] as! [[String: Any]]
        XCTAssertEqual(pairs.count, 7)
        for pair in pairs {
            let first = try LPIPSReference.image(pair["first"] as! String), second = try LPIPSReference.image(pair["second"] as! String)
            XCTAssertEqual(Metrics.ssim(first, second), pair["ssim"] as! Double, accuracy: 1e-6, "\(pair)")
        }
        let image = try LPIPSReference.image("crop.png")
        XCTAssertEqual(Metrics.ssim(image, image), 1, accuracy: 1e-12)
    }
}
