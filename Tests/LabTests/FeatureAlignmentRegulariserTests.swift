import Engine
import Foundation
@testable import Lab
import Media
@testable import Pipeline
import TestSupport
import XCTest

final class FeatureAlignmentRegulariserTests: XCTestCase {
    /// A fresh regulariser, calibrated on a few clean training patches and frozen, as the loss
    /// sees one during adaptation.
    func frozenRegulariser(seed: UInt64 = 3) throws -> FeatureAlignmentRegulariser {
        let regulariser = try FeatureAlignmentRegulariser(lpips: LPIPS.defaultWeightsPath, seed: seed)
        try regulariser.calibrate(on: FeatureAlignmentPretraining.patches(count: 8, size: 64, from: try TrainingPhotos.training.get(), seed: seed))
        regulariser.setTrainable(false)
        return regulariser
    }

    func testTheTwoEncodersAreAsSmallAsIntended() throws {
        let regulariser = try frozenRegulariser()
        let encoderWeights = regulariser.encoder.parameters.reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(encoderWeights, 45_184)
        XCTAssertTrue(regulariser.reference.parameters.allSatisfy { !$0.isTrainable })
        XCTAssertEqual(Set(regulariser.reference.parameters.map(\.name)),
                       ["alexnet.conv1.weight", "alexnet.conv1.bias", "alexnet.conv2.weight", "alexnet.conv2.bias",
                        "far.reference.projection.weight", "far.reference.projection.bias"])
    }

    /// F's projection rows stay orthonormal before calibration, and calibration standardises
    /// the target: about unit variance per dimension over clean patches.
    func testReferenceProjectionIsOrthonormalAndCalibratedToUnitVariance() throws {
        var generator = SeededGenerator(seed: 9)
        let rows = FeatureAlignmentRegulariser.randomOrthonormalRows(4, 10, using: &generator)
        for i in 0..<4 {
            for j in 0..<4 {
                let dot = (0..<10).reduce(Float(0)) { $0 + rows.data[i * 10 + $1] * rows.data[j * 10 + $1] }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-5)
            }
        }
        let regulariser = try FeatureAlignmentRegulariser(lpips: LPIPS.defaultWeightsPath, seed: 3)
        let patches = FeatureAlignmentPretraining.patches(count: 32, size: 64, from: try TrainingPhotos.training.get(), seed: 4)
        try regulariser.calibrate(on: patches)
        let target = try regulariser.reference.forward([patches])[0]
        var variance = 0.0, meanSquare = 0.0
        for k in 0..<FeatureAlignmentRegulariser.dimension {
            let values = (0..<32).map { Double(target[$0, k, 0, 0]) }
            let mean = values.reduce(0, +) / 32
            meanSquare += mean * mean
            variance += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 32
        }
        XCTAssertEqual(variance / 64, 1, accuracy: 0.2, "standardised statistics, orthonormal mixing")
        XCTAssertLessThan(meanSquare / 64, 1e-6, "centred on the calibration patches")
    }

    /// The SR gradient through both encoders against central finite differences of the loss,
    /// on a 1x3x40x40 crop: the largest entries and random ones (as LPIPS's test; ReLU, pooling
    /// and the Gram maxima make the loss only piecewise smooth, hence a 3e-4 step).
    func testLossGradientMatchesFiniteDifferences() throws {
        let regulariser = try frozenRegulariser()
        let picture = try TrainingPhotos.crop(size: 40, seed: 11)
        let (value, gradient) = try regulariser.loss(picture)
        XCTAssertEqual(value, try regulariser.distances(picture)[0], accuracy: 1e-6)
        XCTAssertTrue(regulariser.encoder.parameters.allSatisfy { $0.gradient.values.allSatisfy { $0 == 0 } }, "G does not learn from the loss")
        let largest = Double(gradient.values.map(abs).max()!)
        XCTAssertGreaterThan(largest, 0)
        var generator = SeededGenerator(seed: 5)
        let strongest = (0..<gradient.count).sorted { abs(gradient.data[$0]) > abs(gradient.data[$1]) }.prefix(12)
        let sampled = (0..<12).map { _ in Int.random(in: 0..<gradient.count, using: &generator) }
        let step: Float = 3e-4
        for i in strongest + sampled {
            let original = picture.data[i]
            picture.data[i] = original + step
            let plus = try regulariser.distances(picture)[0]
            picture.data[i] = original - step
            let minus = try regulariser.distances(picture)[0]
            picture.data[i] = original
            XCTAssertEqual(Double(gradient.data[i]), (plus - minus) / (2 * Double(step)), accuracy: 0.01 * largest, "entry \(i)")
        }
    }

    func testLossIsTheBatchMeanOfTheItemDistances() throws {
        let regulariser = try frozenRegulariser()
        let batch = Tensor(stacking: [try TrainingPhotos.crop(size: 48, seed: 1), try TrainingPhotos.crop(size: 48, seed: 2)])
        let distances = try regulariser.distances(batch)
        XCTAssertNotEqual(distances[0], distances[1])
        XCTAssertEqual(try regulariser.loss(batch).value, (distances[0] + distances[1]) / 2, accuracy: 1e-6)
        XCTAssertThrowsError(try regulariser.loss(Tensor(Shape(1, 3, 30, 40)))) { error in
            XCTAssertEqual("\(error)", "the feature-alignment regulariser needs RGB pictures of at least 31x31, got 1x3x30x40")
        }
    }

    func testMissingOrForeignFilesGiveOneClearLine() throws {
        XCTAssertThrowsError(try FeatureAlignmentRegulariser.load(from: "/nonexistent/far.safetensors")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/far.safetensors: no such feature-alignment regulariser")
        }
        let foreign = try temporaryFolder() + "/other.safetensors"
        try Safetensors.write([Safetensors.Entry(name: "x", shape: [1], values: [0])], to: foreign)
        XCTAssertThrowsError(try FeatureAlignmentRegulariser.load(from: foreign)) { error in
            XCTAssertEqual("\(error)", "\(foreign): not a feature-alignment regulariser (it was not written by filmsr lab train far)")
        }
    }

    /// Not a gate: the time of one loss call on an adaptation batch (LWay's 6 LR patches of 48
    /// pixels, upscaled 4x), for the record.
    func testLossTimeOnAnAdaptationBatch() throws {
        let regulariser = try frozenRegulariser()
        let batch = FeatureAlignmentPretraining.patches(count: 6, size: 192, from: try TrainingPhotos.heldOut.get(), seed: 3)
        _ = try regulariser.loss(batch)
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            _ = try regulariser.loss(batch)
            times.append(Date().timeIntervalSince(start))
        }
        print("FAR loss 6x3x192x192: median \(String(format: "%.4f", times.sorted()[2])) s")
    }
}
