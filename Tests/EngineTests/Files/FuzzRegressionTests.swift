import XCTest
import TestSupport
@testable import Engine

/// Every input that once crashed an Engine reader under scripts/fuzz.sh is now a one-line error.
final class FuzzRegressionTests: XCTestCase {
    func testSafetensorsInputsAreErrors() throws {
        for input in try FuzzRegression.inputs("safetensors") {
            XCTAssertNil(FuzzRegression.failure(files: input.name) { _ = try Safetensors.read(input.data, file: input.name) }, input.name)
        }
    }

    /// Each input is a .param file, a NUL byte and a .bin file (Fuzz/Regression/README.md).
    func testNCNNInputsAreErrors() throws {
        for input in try FuzzRegression.inputs("ncnn") {
            let split = input.data.firstIndex(of: 0) ?? input.data.endIndex
            let weights = split < input.data.endIndex ? Data(input.data[(split + 1)...]) : Data()
            XCTAssertNil(FuzzRegression.failure(files: "fuzz.param", "fuzz.bin") {
                _ = try NCNNModel.load(param: Data(input.data[..<split]), file: "fuzz.param", weights: weights, file: "fuzz.bin")
            }, input.name)
        }
    }
}
