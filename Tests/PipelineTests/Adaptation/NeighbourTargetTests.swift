import Engine
@testable import Pipeline
import PipelineTestSupport
import XCTest

/// The neighbour target (AdaptationTarget.neighbour): alignment of a patch in the next frame,
/// flicker correction, and the patches paired with their targets.
final class NeighbourTargetTests: XCTestCase {
    /// A reel frame moved by (2, -1) pixels, 10 % darker and with fresh noise as strong as the
    /// reel's grain: the patch is found where it moved, and the gain undoes the darkening.
    func testAlignmentFindsAShiftedDarkerNoisyCopy() throws {
        let frame = try PipelineFixtures.reelFrames([60])[0]
        let (height, width) = (frame.shape.height, frame.shape.width)
        let neighbour = Tensor(frame.shape)
        var generator = SeededGenerator(seed: 5)
        for c in 0..<3 {
            let source = frame.plane(0, c), target = neighbour.plane(0, c)
            for y in 0..<height {
                for x in 0..<width {
                    let (sy, sx) = (min(max(y - 2, 0), height - 1), min(max(x + 1, 0), width - 1))
                    target[y * width + x] = 0.9 * source[sy * width + sx] + Float.random(in: -0.08...0.08, using: &generator)
                }
            }
        }
        let alignment = NeighbourAlignment.find(patchOf: frame, top: 40, left: 60, size: 48, in: neighbour)
        XCTAssertEqual(alignment.top, 42)
        XCTAssertEqual(alignment.left, 59)
        XCTAssertEqual(alignment.gain, 1 / 0.9, accuracy: 0.02)
    }

    /// On a real pair of consecutive reel frames (a camera pan), the aligned patch is closer to
    /// the input than the patch at the same place.
    func testAlignmentFollowsARealPan() throws {
        let frames = try PipelineFixtures.reelFrames([60, 61])
        let (top, left, size) = (30, 50, 48)
        let alignment = NeighbourAlignment.find(patchOf: frames[0], top: top, left: left, size: size, in: frames[1])
        XCTAssertNotEqual([alignment.top, alignment.left], [top, left], "the camera moves in this shot")
        let input = frames[0].crop(top: top, left: left, height: size, width: size)
        func difference(_ other: Tensor, gain: Float) -> Float {
            zip(input.values, other.values).reduce(0) { $0 + abs($1.0 - gain * $1.1) } / Float(input.count)
        }
        let aligned = difference(frames[1].crop(top: alignment.top, left: alignment.left, height: size, width: size), gain: alignment.gain)
        let unaligned = difference(frames[1].crop(top: top, left: left, height: size, width: size), gain: 1)
        XCTAssertLessThan(aligned, 0.8 * unaligned, "aligned \(aligned), unaligned \(unaligned)")
    }

    /// With the neighbour target each input patch comes with a different, aligned target; with
    /// the LWay target the two are the same.
    func testSamplerPairsPatchesWithTheirTargets() throws {
        let frames = try PipelineFixtures.reelFrames([60, 61])
        let pair = [AdaptationFrame(frames[0], neighbour: frames[1])]
        var generator = SeededGenerator(seed: 1)
        let same = try PatchSampler(frames: pair, patchSize: 40, target: .same).batch(3, using: &generator)
        XCTAssertEqual(same.input.values, same.target.values)
        generator = SeededGenerator(seed: 1)
        let neighbour = try PatchSampler(frames: pair, patchSize: 40, target: .neighbour).batch(3, using: &generator)
        XCTAssertEqual(neighbour.input.values, same.input.values, "the same input patches for a seed")
        XCTAssertNotEqual(neighbour.target.values, neighbour.input.values)
        XCTAssertEqual(neighbour.target.shape, neighbour.input.shape)
    }
}
