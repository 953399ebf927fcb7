import XCTest
@testable import Engine

final class SafetensorsTests: XCTestCase {
    private let reference = repositoryRoot + "/Tests/EngineTests/Reference/peer.safetensors"

    func testReadsAFileWrittenByTheReferenceImplementation() throws {
        let (entries, metadata) = try Safetensors.read(reference)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reference + ".json"))) as! [String: [String: Any]]
        XCTAssertEqual(metadata, ["producer": "safetensors reference", "step": "12"])
        XCTAssertEqual(Set(entries.map(\.name)), Set(expected.keys))
        for entry in entries {
            XCTAssertEqual(entry.shape, expected[entry.name]!["shape"] as! [Int])
            let values = (expected[entry.name]!["values"] as! [Double]).map(Float.init)
            XCTAssertEqual(entry.values, values, entry.name)
        }
    }

    /// Float16 output: the reference writer's half-precision tensor, written by us, has its
    /// very bytes; float32 values round to the nearest half.
    func testWritesHalfPrecisionAsTheReferenceDoes() throws {
        let half = try XCTUnwrap(try Safetensors.read(reference).entries.first { $0.name == "half.values" })
        let path = NSTemporaryDirectory() + "filmsr-st-\(UUID().uuidString).safetensors"
        try Safetensors.write([half], precision: .float16, to: path)
        let written = try Data(contentsOf: URL(fileURLWithPath: path)), peer = try Data(contentsOf: URL(fileURLWithPath: reference))
        XCTAssertEqual(written.suffix(20), peer.suffix(20), "half.values is the peer file's last tensor, 10 halves")
        XCTAssertEqual(try Safetensors.read(path).entries[0].values, half.values)
        try Safetensors.write([Safetensors.Entry(name: "x", shape: [3], values: [1 / 3, 1000.3, -2e-5])], precision: .float16, to: path)
        XCTAssertEqual(try Safetensors.read(path).entries[0].values, [Float(Float16(1 / 3 as Float)), 1000.5, Float(Float16(-2e-5 as Float))])
    }

    func testCheckpointRoundTripAndMismatches() throws {
        let directory = NSTemporaryDirectory() + "filmsr-st-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 3)
        let conv = Convolution(name: "body.0", inputChannels: 3, outputChannels: 5, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        for parameter in conv.parameters { parameter.value.copy(from: randomTensor(parameter.shape, &generator)) }
        let path = directory + "/ckpt.safetensors"
        try Checkpoint.save(conv.parameters, metadata: ["iteration": "40"], to: path)
        let copy = Convolution(name: "body.0", inputChannels: 3, outputChannels: 5, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        XCTAssertEqual(try Checkpoint.load(path, into: copy.parameters), ["iteration": "40"])
        XCTAssertEqual(copy.weight.value.values, conv.weight.value.values)
        XCTAssertEqual(copy.bias!.value.values, conv.bias!.value.values)

        let other = Convolution(name: "body.0", inputChannels: 3, outputChannels: 4, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        XCTAssertThrowsError(try Checkpoint.load(path, into: other.parameters)) { XCTAssertTrue("\($0)".contains("the network needs"), "\($0)") }
        let renamed = Convolution(name: "head", inputChannels: 3, outputChannels: 5, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        XCTAssertThrowsError(try Checkpoint.load(path, into: renamed.parameters)) { XCTAssertTrue("\($0)".contains("has no tensor 'head.weight'"), "\($0)") }
    }

    func testDamagedFilesGiveClearErrors() throws {
        let directory = NSTemporaryDirectory() + "filmsr-st-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let whole = try Data(contentsOf: URL(fileURLWithPath: reference))
        let cases: [(Data, String)] = [
            (Data([1, 2, 3]), "shorter than its header length"),
            (whole.prefix(whole.count - 10), "lies outside the file"),
            (Data([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]) + whole.dropFirst(8), "exceeds the file"),
            (Data([4, 0, 0, 0, 0, 0, 0, 0]) + Data("nope".utf8), "not a JSON object"),
        ]
        for (index, (bytes, phrase)) in cases.enumerated() {
            let path = directory + "/bad\(index).safetensors"
            try bytes.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Safetensors.read(path)) { XCTAssertTrue("\($0)".contains(phrase), "expected '\(phrase)' in \($0)") }
        }
    }
}
