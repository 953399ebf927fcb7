import Foundation
import XCTest
@testable import Pipeline
import TestSupport

/// Which frames a scene adapts on, read from the reel.
final class SceneFrameSamplerTests: XCTestCase {
    private static let reel = Repository.sample("reel_old.mp4")

    private func scene(_ index: Int, first: Int, count: Int) -> Scene {
        Scene(index: index, firstFrame: first, frameCount: count, startTime: 0, endTime: 1)
    }

    /// The reel's second and third shots (frames 20-47 and 48-71) in 4 slots each: the middle
    /// frame of every slot, spread over the whole shot, with the neighbours written alongside.
    func testFramesAreSpreadOverTheSceneWithTheirNeighbours() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sampler-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scenes = [scene(0, first: 20, count: 28), scene(1, first: 48, count: 24)]
        let sampler = SceneFrameSampler(count: 4, neighbours: true)
        let kept = try sampler.sample(Self.reel, scenes: scenes, file: { folder + String(format: "/%06d.png", $0) })
        XCTAssertEqual(kept, [[23, 30, 37, 44], [50, 56, 62, 68]])
        let written = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let expected = (kept.flatMap { $0 } + kept.flatMap { $0 }.map { $0 + 1 }).sorted().map { String(format: "%06d.png", $0) }
        XCTAssertEqual(written, expected)
    }

    func testShortScenesGiveEveryFrame() {
        let sampler = SceneFrameSampler(count: 8)
        let short = scene(0, first: 10, count: 3)
        XCTAssertEqual((10...12).map { sampler.slot(of: $0, in: short) }, [0, 1, 2])
    }

    func testNeighbourIsTheNextFrameOfTheSceneOrTheOneBefore() {
        let shot = scene(0, first: 20, count: 28)
        XCTAssertEqual(SceneFrameSampler.neighbour(of: 20, in: shot), 21)
        XCTAssertEqual(SceneFrameSampler.neighbour(of: 47, in: shot), 46)
        XCTAssertNil(SceneFrameSampler.neighbour(of: 5, in: scene(0, first: 5, count: 1)))
    }
}
