import Engine
@testable import Lab
import Media
@testable import Pipeline
import TestSupport
import XCTest

final class SecondOrderDegradationTests: XCTestCase {
    private func still() throws -> Tensor {
        let reader = try VideoFrameReader(path: Repository.sample("still.png"))
        return Tensor(try reader.next()!.image)
    }

    func testDegradesToTheTargetSizeRepeatablyAndRecordsEveryStep() throws {
        let clean = try still()
        let degradation = SecondOrderDegradation(scale: 4)
        let first = try degradation.apply(to: clean, seed: 17), again = try degradation.apply(to: clean, seed: 17)
        XCTAssertEqual(first.image.shape, Shape(1, 3, 32, 32))
        XCTAssertEqual(first.image.values, again.image.values)
        XCTAssertEqual(first.steps, again.steps)
        XCTAssertTrue(first.steps[0].hasPrefix("blur "), "\(first.steps)")
        XCTAssertEqual(first.steps.filter { $0.hasPrefix("jpeg ") }.count, 2, "\(first.steps)")
        XCTAssertEqual(first.steps.filter { $0.hasPrefix("noise ") }.count, 2, "\(first.steps)")
        for value in first.image.values { XCTAssertTrue((0...1).contains(value)) }
    }

    func testSeedsGiveDifferentDegradationsThatDepartFromPlainDownscaling() throws {
        let clean = try still()
        let plain = Tensor(Shape(1, 3, 32, 32))
        Resize(.area, .fixed(height: 32, width: 32)).forward([clean], [plain])
        let results = try (1...4).map { try SecondOrderDegradation().apply(to: clean, seed: UInt64($0)) }
        XCTAssertEqual(Set(results.map(\.steps)).count, 4)
        for result in results {
            XCTAssertLessThan(Metrics.psnr(result.image, plain), 40, "\(result.steps)")
        }
    }
}
