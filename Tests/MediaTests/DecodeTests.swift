import XCTest
@testable import Media

/// Decoded pixel values are checked against ffmpeg's own conversion of the same file.
final class DecodeTests: XCTestCase {
    /// Largest difference, in units of the 8- or 16-bit scale, between our frames and ffmpeg's packed RGB.
    private func largestDifference(_ path: String, sixteenBit: Bool = false) throws -> (frames: Int, difference: Int) {
        let ours = try decodeAll(path)
        let theirs = try ffmpegRGB(path, sixteenBit: sixteenBit)
        let scale: Float = sixteenBit ? 65535 : 255
        var largest = 0
        theirs.withUnsafeBytes { raw in
            var offset = 0
            for frame in ours {
                let image = frame.image
                for y in 0..<image.height {
                    for x in 0..<image.width {
                        for channel in 0..<3 {
                            let reference = sixteenBit
                                ? Int(raw.load(fromByteOffset: offset * 2, as: UInt16.self))
                                : Int(raw[offset])
                            offset += 1
                            let value = Int((image[channel, y, x] * scale).rounded())
                            largest = max(largest, abs(value - reference))
                        }
                    }
                }
            }
            XCTAssertEqual(offset * (sixteenBit ? 2 : 1), raw.count, "frame count or size differs from ffmpeg's")
        }
        return (ours.count, largest)
    }

    private func clip(_ name: String, size: String = "97x61", pixelFormat: String, extra: [String] = []) throws -> String {
        let path = try temporaryDirectory() + "/" + name
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=25:duration=0.4", "-pix_fmt", pixelFormat]
                   + extra + ["-c:v", "ffv1", path])
        return path
    }

    func testOddSizedYUV420MatchesFFmpeg() throws {
        let result = try largestDifference(clip("odd420.mkv", pixelFormat: "yuv420p"))
        XCTAssertEqual(result.frames, 10)
        XCTAssertLessThanOrEqual(result.difference, 1)
    }

    func testYUV422MatchesFFmpeg() throws {
        XCTAssertLessThanOrEqual(try largestDifference(clip("422.mkv", pixelFormat: "yuv422p")).difference, 1)
    }

    func testFullRangeJPEGYUVMatchesFFmpeg() throws {
        let path = try clip("full.mkv", size: "64x48", pixelFormat: "yuvj420p")
        XCTAssertLessThanOrEqual(try largestDifference(path).difference, 1)
    }

    func testFullRangeTagIsHonoured() throws {
        let path = try clip("tagged-full.mkv", size: "64x48", pixelFormat: "yuv420p", extra: ["-color_range", "pc"])
        XCTAssertEqual(try MediaProbe.probe(path).video.color.range, "pc")
        XCTAssertLessThanOrEqual(try largestDifference(path).difference, 1)
    }

    func testHDMatrixTagIsHonoured() throws {
        let path = try clip("bt709.mkv", size: "64x48", pixelFormat: "yuv444p", extra: ["-colorspace", "bt709"])
        XCTAssertLessThanOrEqual(try largestDifference(path).difference, 1)
    }

    func testTenBitDecodesToSixteenBitPrecision() throws {
        let path = try clip("ten.mkv", size: "64x48", pixelFormat: "yuv420p10le")
        let result = try largestDifference(path, sixteenBit: true)
        // One 10-bit step is 64 units of 16 bits; agreeing far closer than that shows no 8-bit detour.
        XCTAssertLessThanOrEqual(result.difference, 64)
        let values = Set(try decodeAll(path)[0].image.pixels.map { Int(($0 * 65535).rounded()) % 257 })
        XCTAssertGreaterThan(values.count, 1, "values are all multiples of 257: an 8-bit detour")
    }

    func testRGBImageDecodesExactly() throws {
        let path = samplePath("still_odd.png")
        let frames = try decodeAll(path)
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames[0].image.width, 97)
        XCTAssertEqual(frames[0].image.height, 61)
        XCTAssertEqual(try largestDifference(path).difference, 0)
    }

    func testTimestampsAreThoseOfTheStream() throws {
        let path = samplePath("dvd_ntsc.mpg")
        let times = try decodeAll(path).map(\.time)
        let reference = try ffprobeFrameTimes(path)
        XCTAssertEqual(times.count, reference.count)
        for (ours, theirs) in zip(times, reference) { XCTAssertEqual(ours, theirs, accuracy: 2e-6) }
    }

    func testNonSquarePixelsAreKeptAsStored() throws {
        let frames = try decodeAll(samplePath("dvd_ntsc.mpg"))
        XCTAssertEqual(frames[0].image.width, 720, "pictures are not resampled to square pixels")
        XCTAssertEqual(frames[0].image.height, 480)
    }
}
