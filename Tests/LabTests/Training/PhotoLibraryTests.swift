import Engine
import Foundation
@testable import Lab
@testable import Pipeline
import XCTest

final class PhotoLibraryTests: XCTestCase {
    func testBothSplitsLoadDisjointWithAboutAFifthHeldOut() throws {
        let training = try TrainingPhotos.training.get(), heldOut = try TrainingPhotos.heldOut.get()
        XCTAssertGreaterThan(training.count, 0)
        XCTAssertGreaterThan(heldOut.count, 0)
        XCTAssertEqual(training.names.count, training.count)
        XCTAssertTrue(Set(training.names).isDisjoint(with: heldOut.names), "\(training.names) / \(heldOut.names)")
        let share = Double(heldOut.count) / Double(training.count + heldOut.count)
        XCTAssertTrue((0.1...0.35).contains(share), "held-out share \(share)")
    }

    func testCropsHaveTheAskedSizeAndRangeAndRepeatForASeed() throws {
        let library = try TrainingPhotos.training.get()
        for size in [96, 256] {
            var first = SeededGenerator(seed: 7), again = SeededGenerator(seed: 7), other = SeededGenerator(seed: 8)
            let crop = library.randomCrop(size: size, using: &first)
            XCTAssertEqual(crop.shape, Shape(1, 3, size, size))
            let values = crop.values
            XCTAssertTrue(values.allSatisfy { (0...1).contains($0) })
            XCTAssertGreaterThan(Set(values).count, 20, "a photo, not a flat fill")
            XCTAssertEqual(values, library.randomCrop(size: size, using: &again).values)
            XCTAssertNotEqual(values, library.randomCrop(size: size, using: &other).values)
        }
    }

    func testCropsVisitManyPhotos() throws {
        let library = try TrainingPhotos.training.get()
        var generator = SeededGenerator(seed: 1)
        let means = (0..<40).map { _ in library.randomCrop(size: 64, using: &generator).values.reduce(0, +) }
        XCTAssertGreaterThan(Set(means).count, 30)
    }

    func testMissingFolderIsOneLineNamingItAndTheSetUp() {
        let folder = NSTemporaryDirectory() + "filmsr-no-photos-\(UUID().uuidString)"
        XCTAssertThrowsError(try PhotoLibrary.load(split: .heldOut, directory: folder)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(folder + "/heldout"), message)
            XCTAssertTrue(message.contains("scripts/setup.sh"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }
}
