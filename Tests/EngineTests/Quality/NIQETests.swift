import Foundation
import TestSupport
import XCTest
@testable import Engine

let niqeParametersPath = repositoryRoot + "/assets/niqe/niqe_pris_params.safetensors"

/// The scores of basicsr 1.4.2's calculate_niqe (scripts/reference/niqe_reference.py) and the
/// pictures they were computed on.
struct NIQEReference {
    static let folder = repositoryRoot + "/Tests/EngineTests/Reference/niqe/"
    let cases: [[String: Any]]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/EngineTests/Reference/niqe.json"))
        cases = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["cases"] as! [[String: Any]]
    }

    /// A case's picture as rgb24 bytes decoded by the ffmpeg tool, with the same command as the
    /// reference script, and as a 1x3xHxW tensor of v / 255.
    static func picture(_ record: [String: Any]) throws -> (bytes: [UInt8], tensor: Tensor) {
        let name = record["picture"] as! String
        let path = name.hasPrefix("samples/") ? repositoryRoot + "/" + name : folder + name
        var arguments = ["-v", "error", "-i", path]
        if let frame = record["frame"] as? Int { arguments += ["-vf", "select=eq(n\\,\(frame))", "-frames:v", "1"] }
        var bytes = try run("/usr/bin/ffmpeg", arguments + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let size = String(decoding: try run("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height", "-of", "csv=p=0", path]), as: UTF8.self)
        let dimensions = size.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map { Int($0)! }
        let width = dimensions[0], height = dimensions[1]
        XCTAssertEqual(bytes.count, width * height * 3, name)
        if let blackRows = record["black_rows"] as? Int { for i in 0..<(blackRows * width * 3) { bytes[i] = 0 } }
        let tensor = Tensor(Shape(1, 3, height, width))
        for y in 0..<height { for x in 0..<width { for c in 0..<3 { tensor[0, c, y, x] = Float(bytes[(y * width + x) * 3 + c]) / 255 } } }
        return (bytes, tensor)
    }

    static func run(_ tool: String, _ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
        [UInt8](try ProcessRunner.run(tool, arguments, input: input.map { Data($0) }).output)
    }
}

final class NIQETests: XCTestCase {
    private static let loaded = Result { try NIQE(parametersPath: niqeParametersPath) }
    private var niqe: NIQE { get throws { try Self.loaded.get() } }

    /// Every case within 1e-4 absolute of basicsr (measured: 1.5e-5 at most); the decoded pictures are checked first to be
    /// the bytes basicsr saw.
    func testScoresMatchBasicsr() throws {
        let reference = try NIQEReference()
        XCTAssertEqual(reference.cases.count, 9)
        var worst = 0.0
        for record in reference.cases {
            let (bytes, image) = try NIQEReference.picture(record)
            let digest = String(decoding: try NIQEReference.run("/usr/bin/sha256sum", [], input: bytes), as: UTF8.self).prefix(64)
            XCTAssertEqual(String(digest), record["rgb24_sha256"] as! String, "\(record["picture"]!): decoded differently from the reference")
            let score = try niqe.score(image, cropBorder: record["crop_border"] as! Int)
            let expected = record["niqe"] as! Double
            XCTAssertEqual(score, expected, accuracy: 1e-4, "\(record)")
            worst = max(worst, abs(score - expected))
            print("NIQE \(record["picture"]!) \(record["frame"] ?? "") border \(record["crop_border"]!): \(score), basicsr \(expected)")
        }
        print("NIQE against basicsr: largest difference \(worst) over \(reference.cases.count) pictures")
    }

    func testBlurAndNoiseScoreWorseThanTheCleanPicture() throws {
        func score(_ name: String) throws -> Double { try niqe.score(NIQEReference.picture(["picture": name]).tensor) }
        let clean = try score("crop.png")
        XCTAssertGreaterThan(try score("crop_blur2.png"), clean + 1)
        XCTAssertGreaterThan(try score("crop_noise12.png"), clean + 0.5)
    }

    /// basicsr fails on a single block (numpy's pinv of a NaN covariance); the engine says why.
    func testPicturesWithFewerThanTwoBlocksAreRefused() throws {
        let still = try rawRGB(repositoryRoot + "/samples/still.png", width: 128, height: 128)
        XCTAssertThrowsError(try niqe.score(still)) { XCTAssertTrue("\($0)".contains("at least two 96x96 blocks"), "\($0)") }
        let frame = try NIQEReference.picture(["picture": "crop.png"]).tensor
        XCTAssertNoThrow(try niqe.score(frame))
        XCTAssertThrowsError(try niqe.score(frame, cropBorder: 49)) { XCTAssertTrue("\($0)".contains("border of 49"), "\($0)") }
    }

    func testMissingOrDamagedParametersGiveOneLineErrorsNamingTheFile() throws {
        let directory = NSTemporaryDirectory() + "filmsr-niqe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: niqeParametersPath))
        let truncated = directory + "/truncated.safetensors", wrongShape = directory + "/shape.safetensors"
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: truncated))
        try Safetensors.write([Safetensors.Entry(name: "mu_pris_param", shape: [35], values: [Float](repeating: 0, count: 35))], to: wrongShape)
        let cases = [(directory + "/absent.safetensors", "NIQE parameters are missing"), (truncated, "lies outside the file"),
                     (wrongShape, "'mu_pris_param' has shape [35]")]
        for (path, phrase) in cases {
            XCTAssertThrowsError(try NIQE(parametersPath: path)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix(path + ": ") && message.contains(phrase), message)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    /// A * pinv(A) * A = A, also for a singular matrix (one direction dropped), and the inverse
    /// for an invertible one.
    func testSymmetricPseudoInverse() {
        var generator = SeededGenerator(seed: 3)
        let n = 6
        let factor = (0..<(n * (n - 1))).map { _ in Double.random(in: -1...1, using: &generator) }
        // A = F F' with F of rank n - 1: symmetric, positive semi-definite, singular.
        var singular = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<(n - 1) { singular[i * n + j] += factor[i * (n - 1) + k] * factor[j * (n - 1) + k] } } }
        var invertible = singular
        for i in 0..<n { invertible[i * n + i] += 0.5 }
        func product(_ a: [Double], _ b: [Double]) -> [Double] {
            (0..<(n * n)).map { index in (0..<n).reduce(0.0) { $0 + a[index / n * n + $1] * b[$1 * n + index % n] } }
        }
        for matrix in [singular, invertible] {
            let inverse = SymmetricPseudoInverse.of(matrix, size: n)
            for (x, y) in zip(product(product(matrix, inverse), matrix), matrix) { XCTAssertEqual(x, y, accuracy: 1e-10) }
        }
        let identity = product(invertible, SymmetricPseudoInverse.of(invertible, size: n))
        for i in 0..<n { for j in 0..<n { XCTAssertEqual(identity[i * n + j], i == j ? 1 : 0, accuracy: 1e-10) } }
    }

    /// MATLAB's antialiased bicubic halving: its eight taps (dyadic, summing to one), the edge
    /// mirrored, a constant kept.
    func testMatlabHalvingTaps() {
        let taps = MatlabResize.taps(from: 8, to: 4, scale: 0.5)
        XCTAssertEqual(taps[1].map(\.weight), [-0.01171875, -0.03515625, 0.11328125, 0.43359375, 0.43359375, 0.11328125, -0.03515625, -0.01171875])
        XCTAssertEqual(taps[1].map(\.index), [0, 0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(taps[0].map(\.index), [2, 1, 0, 0, 1, 2, 3, 4])
        XCTAssertEqual(taps[3].map(\.index), [3, 4, 5, 6, 7, 7, 6, 5])
        let shrunk = MatlabResize.shrink([Float](repeating: 0.25, count: 96 * 96), width: 96, height: 96, scale: 0.5)
        XCTAssertEqual(shrunk.width, 48)
        XCTAssertTrue(shrunk.values.allSatisfy { $0 == 0.25 })
    }
}
