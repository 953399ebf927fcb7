import Engine
import Foundation
@testable import Lab
import Media
@testable import Pipeline
import XCTest

final class DegradationSynthesizerTests: XCTestCase {
    private let synthesizer = DegradationSynthesizer(scale: 4)

    override class func setUp() {
        LibraryLogging.set(verbose: false)
    }

    /// Mean squared difference of horizontal and vertical neighbours: what grain and noise raise.
    private func highFrequencyEnergy(_ image: Tensor) -> Double {
        let shape = image.shape
        var sum = 0.0, count = 0
        for c in 0..<3 {
            for y in 0..<(shape.height - 1) {
                for x in 0..<(shape.width - 1) {
                    let here = Double(image[0, c, y, x])
                    sum += pow(here - Double(image[0, c, y, x + 1]), 2) + pow(here - Double(image[0, c, y + 1, x]), 2)
                    count += 2
                }
            }
        }
        return sum / Double(count)
    }

    func testEveryFamilyGivesExactlyTheLRSizeInRangeAndRecordsItsSteps() throws {
        // 100 / 4 = 25: odd sides, which 4:2:0 video codecs cannot take directly.
        let hr = try TrainingPhotos.crop(size: 100, seed: 3)
        for family in DegradationFamily.allCases {
            for seed: UInt64 in [1, 2, 3] {
                let (lr, record) = try synthesizer.degrade(hr, family: family, seed: seed)
                XCTAssertEqual(lr.shape, Shape(1, 3, 25, 25), "\(family)")
                XCTAssertTrue(lr.values.allSatisfy { (0...1).contains($0) }, "\(family)")
                XCTAssertEqual(record.family, family)
                XCTAssertEqual(record.seed, seed)
                XCTAssertFalse(record.steps.isEmpty, "\(family)")
                XCTAssertGreaterThan(Metrics.psnr(lr, lr.copy()), 100, "finite values")
            }
        }
    }

    func testStepsSayWhatEachFamilyDid() throws {
        let hr = try TrainingPhotos.crop(size: 128, seed: 4)
        func steps(_ family: DegradationFamily, _ seed: UInt64) throws -> [String] { try synthesizer.degrade(hr, family: family, seed: seed).record.steps }
        for seed: UInt64 in 1...4 {
            let blur = try steps(.blur, seed)
            XCTAssertEqual(blur.count, 2, "\(blur)")
            XCTAssertTrue(blur[0].hasPrefix("blur ") && blur[1].hasPrefix("resize ") && blur[1].hasSuffix("to 32x32"), "\(blur)")
            let noise = try steps(.noise, seed)
            XCTAssertTrue(noise.count == 2 && noise[0].hasPrefix("resize ") && noise[1].hasPrefix("noise "), "\(noise)")
            let jpeg = try steps(.jpeg, seed)
            XCTAssertTrue(jpeg.count == 2 && jpeg[1].hasPrefix("jpeg "), "\(jpeg)")
            let film = try steps(.film, seed)
            XCTAssertTrue(film[0].hasPrefix("blur gaussian("), "\(film)")
            XCTAssertTrue(film.contains { $0.hasPrefix("film grain(") }, "\(film)")
            let codec = try steps(.codec, seed)
            XCTAssertTrue(codec[0].hasPrefix("resize "), "\(codec)")
            XCTAssertTrue((2...3).contains(codec.count) && codec.dropFirst().allSatisfy { $0.hasPrefix("codec mpeg2 ") || $0.hasPrefix("codec h264 ") }, "\(codec)")
        }
        // The second-order family weaves the film stage in for some seeds and not for others.
        let secondOrder = try (1...8).map { try steps(.secondOrder, UInt64($0)) }
        XCTAssertTrue(secondOrder.allSatisfy { $0.filter { $0.hasPrefix("jpeg ") }.count == 2 })
        let filmed = secondOrder.filter { $0.contains { $0.hasPrefix("film grain(") } }
        XCTAssertTrue(filmed.count > 0 && filmed.count < 8, "\(filmed.count) of 8 with a film stage")
        XCTAssertTrue(filmed.allSatisfy { $0.last!.hasPrefix("codec ") }, "codec generations close the film stage")
    }

    func testDeterministicForFamilyAndSeedAndDifferentAcrossSeeds() throws {
        let hr = try TrainingPhotos.crop(size: 64, seed: 5)
        for family in DegradationFamily.allCases {
            let first = try synthesizer.degrade(hr, family: family, seed: 11)
            let again = try synthesizer.degrade(hr, family: family, seed: 11)
            let other = try synthesizer.degrade(hr, family: family, seed: 12)
            XCTAssertEqual(first.lr.values, again.lr.values, "\(family)")
            XCTAssertEqual(first.record, again.record, "\(family)")
            XCTAssertNotEqual(first.lr.values, other.lr.values, "\(family)")
            XCTAssertNotEqual(first.record.steps, other.record.steps, "\(family)")
        }
    }

    func testFilmFamilyCarriesGrainThatTheBlurFamilyLacks() throws {
        // A flat patch of a real photo's mean colour: any fine texture in the LR is added.
        let photo = try TrainingPhotos.crop(size: 128, seed: 6)
        let flat = Tensor(photo.shape)
        for c in 0..<3 {
            let plane = photo.plane(0, c), mean = (0..<photo.shape.planeSize).reduce(Float(0)) { $0 + plane[$1] } / Float(photo.shape.planeSize)
            for i in 0..<photo.shape.planeSize { flat.plane(0, c)[i] = mean }
        }
        for seed: UInt64 in 1...6 {
            let film = try synthesizer.degrade(flat, family: .film, seed: seed).lr
            let blur = try synthesizer.degrade(flat, family: .blur, seed: seed).lr
            XCTAssertGreaterThan(highFrequencyEnergy(film), 10 * max(highFrequencyEnergy(blur), 1e-7), "seed \(seed)")
        }
    }

    func testCodecFamilyReallyWentThroughAnEncoder() throws {
        let hr = try TrainingPhotos.crop(size: 128, seed: 7)
        for seed: UInt64 in 1...4 {
            let (lr, record) = try synthesizer.degrade(hr, family: .codec, seed: seed)
            // The same seed replays the same downscale; what the codec changed is measurable.
            var run = DegradationRun(hr, seed: seed)
            run.resize(height: 32, width: 32)
            let psnr = Metrics.psnr(lr, run.image)
            XCTAssertTrue((18...45).contains(psnr), "\(record.steps): \(psnr) dB against the downscale alone")
        }
    }

    func testRecordRoundTripsThroughJSON() throws {
        let hr = try TrainingPhotos.crop(size: 64, seed: 8)
        for family in DegradationFamily.allCases {
            let record = try synthesizer.degrade(hr, family: family, seed: 21).record
            let json = try JSONEncoder().encode(record)
            XCTAssertEqual(try JSONDecoder().decode(DegradationRecord.self, from: json), record)
            XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("\"family\":\"\(family.rawValue)\""))
        }
    }

    func testSeedAloneDrawsFamiliesByTheirTrainingWeights() throws {
        XCTAssertEqual(DegradationFamily.allCases.map(\.trainingWeight).reduce(0, +), 1, accuracy: 1e-9)
        var counts: [DegradationFamily: Int] = [:]
        for seed in 0..<4000 { counts[DegradationSynthesizer.family(forSeed: UInt64(seed)), default: 0] += 1 }
        for family in DegradationFamily.allCases {
            XCTAssertEqual(Double(counts[family, default: 0]) / 4000, family.trainingWeight, accuracy: 0.025, "\(family)")
        }
        let hr = try TrainingPhotos.crop(size: 64, seed: 9)
        for seed: UInt64 in 1...6 {
            let drawn = try synthesizer.degrade(hr, seed: seed)
            XCTAssertEqual(drawn.record.family, DegradationSynthesizer.family(forSeed: seed))
            XCTAssertEqual(drawn.lr.values, try synthesizer.degrade(hr, family: drawn.record.family, seed: seed).lr.values)
        }
    }

    func testRejectsSidesThatAreNotMultiplesOfTheScale() throws {
        XCTAssertThrowsError(try synthesizer.degrade(Tensor(Shape(1, 3, 62, 64)), family: .blur, seed: 1))
    }

    /// Not a gate (the machine is shared): prints the median time per family for a 256x256 HR patch.
    func testReportsTheMedianTimePerFamily() throws {
        let hr = try TrainingPhotos.crop(size: 256, seed: 10)
        for family in DegradationFamily.allCases {
            let times = try (1...7).map { seed -> Double in
                let start = Date()
                _ = try synthesizer.degrade(hr, family: family, seed: UInt64(seed))
                return Date().timeIntervalSince(start)
            }.sorted()
            print(String(format: "degradation %@: median %.1f ms for 256x256 HR", family.rawValue, times[3] * 1000))
            XCTAssertLessThan(times[3], 2, "\(family)")
        }
    }
}
