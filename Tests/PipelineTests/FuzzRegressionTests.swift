import XCTest
import TestSupport
@testable import Pipeline

/// Every work-folder file that once got past its reader to a trap is now a one-line error.
final class FuzzRegressionTests: XCTestCase {
    func testSceneListInputsAreErrors() throws {
        for input in try FuzzRegression.inputs("scenes") {
            XCTAssertNil(FuzzRegression.failure(files: input.name) { _ = try SceneList.read(json: input.data, file: input.name) }, input.name)
        }
    }

    /// Against the film Fuzz/AdaptationUnits.swift checks them against: three scenes of ten frames.
    func testAdaptationUnitInputsAreErrors() throws {
        let scenes = (0..<3).map { Scene(index: $0, firstFrame: 10 * $0, frameCount: 10, startTime: Double($0), endTime: Double($0 + 1)) }
        for input in try FuzzRegression.inputs("units") {
            XCTAssertNil(FuzzRegression.failure(files: input.name) {
                _ = try AdaptationUnit.readList(json: input.data, file: input.name, scenes: scenes)
            }, input.name)
        }
    }
}
