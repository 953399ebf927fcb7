import XCTest
@testable import Engine

/// Model files are untrusted input: damaged ones give a clear error, never a crash.
final class ModelFileTests: XCTestCase {
    private var directory = ""
    private let stem = "REALESRGAN_ANIMAVIDEOV3_UP4X"

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "filmsr-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func realParam() throws -> String { try String(contentsOfFile: "\(modelsDirectory)/\(stem).param", encoding: .utf8) }
    private func realWeights() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: "\(modelsDirectory)/\(stem).bin")) }

    private func assertLoadFails(param: String, weights: Data, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let paramPath = directory + "/m.param", weightsPath = directory + "/m.bin"
        try param.write(toFile: paramPath, atomically: true, encoding: .utf8)
        try weights.write(to: URL(fileURLWithPath: weightsPath))
        XCTAssertThrowsError(try NCNNModel.load(param: paramPath, weights: weightsPath), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(phrase), "expected '\(phrase)' in: \(error)", file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), file: file, line: line)
        }
    }

    func testTheRealFileLoads() throws {
        let graph = try NCNNModel.load(param: "\(modelsDirectory)/\(stem).param", weights: "\(modelsDirectory)/\(stem).bin")
        XCTAssertEqual(graph.parameters.reduce(0) { $0 + $1.value.count }, 621_424, "SRVGGNetCompact's published parameter count")
    }

    func testTruncatedWeights() throws {
        let weights = try realWeights()
        try assertLoadFails(param: try realParam(), weights: weights.prefix(weights.count / 2), "truncated")
        try assertLoadFails(param: try realParam(), weights: Data(), "truncated")
    }

    func testWeightsOfAnotherNetwork() throws {
        var weights = try realWeights()
        weights.append(Data(count: 4096))
        try assertLoadFails(param: try realParam(), weights: weights, "do not belong to")
    }

    func testUnknownWeightStorage() throws {
        var weights = try realWeights()
        weights.replaceSubrange(0..<4, with: [0x38, 0x4B, 0x0D, 0x00])  // int8 tag
        try assertLoadFails(param: try realParam(), weights: weights, "is not supported")
    }

    func testMalformedDescriptions() throws {
        let param = try realParam(), weights = try realWeights()
        try assertLoadFails(param: "hello\n", weights: weights, "not an ncnn .param file")
        try assertLoadFails(param: param.replacingOccurrences(of: "40 41", with: "41 41"), weights: weights, "declares 41 layers")
        try assertLoadFails(param: param.replacingOccurrences(of: "0=64 1=3 4=1 5=1 6=1728", with: "0=64 1=3 4=1 5=1 6=oops"),
                            weights: weights, "'oops' is not a number")
        try assertLoadFails(param: param.replacingOccurrences(of: "PixelShuffle ", with: "Softmax      "), weights: weights,
                            "unsupported ncnn layer type Softmax")
        try assertLoadFails(param: param.replacingOccurrences(of: "1 1 input.1_splitncnn_1 54", with: "1 1 nowhere 54"),
                            weights: weights, "reads blob 'nowhere' before anything writes it")
        try assertLoadFails(param: param.replacingOccurrences(of: "0=64 1=3 4=1 5=1 6=1728", with: "0=64 1=3 4=1 5=1 6=1700"),
                            weights: weights, "inconsistent convolution parameters")
        try assertLoadFails(param: param.replacingOccurrences(of: "0=64 1=3 4=1 5=1 6=1728", with: "0=64 1=3 4=1 5=1 6=1728 -23310=3,0.2"),
                            weights: weights, "has a wrong length")
    }

    func testAMissingModelSaysHowToInstallIt() throws {
        XCTAssertThrowsError(try SRModelSpec.named("compact-x4").load(from: directory)) { error in
            XCTAssertTrue("\(error)".contains("run scripts/setup.sh"), "\(error)")
        }
        XCTAssertThrowsError(try SRModelSpec.named("x8-dreams")) { error in
            XCTAssertTrue("\(error)".contains("choose one of compact-x2, compact-x3, compact-x4, x4plus"), "\(error)")
        }
    }
}
