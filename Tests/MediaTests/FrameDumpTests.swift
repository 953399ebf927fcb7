import XCTest
@testable import Media

final class FrameDumpTests: XCTestCase {
    func testSelectorsParseIndicesAndTimes() {
        XCTAssertEqual(FrameSelector("120"), .index(120))
        XCTAssertEqual(FrameSelector("5.25s"), .time(5.25))
        XCTAssertEqual(FrameSelector("1:02.5"), .time(62.5))
        XCTAssertEqual(FrameSelector("1:00:02"), .time(3602))
        XCTAssertNil(FrameSelector("-3"))
        XCTAssertNil(FrameSelector("soon"))
        XCTAssertNil(FrameSelector("1:x"))
    }

    func testDumpsChosenFramesAsPNGsThatFFmpegReadsBack() throws {
        let directory = try temporaryDirectory()
        let source = samplePath("dvd_ntsc.mpg")
        let frames = try decodeAll(source)
        // Frame 3 by index, and the frame on screen at 1.5 s into the stream.
        let wantedTime = frames[0].time + 1.5
        let atTime = frames.last { $0.time <= wantedTime }!
        let written = try FrameDumper.dump(source, frames: [.index(3), .time(wantedTime)], into: directory + "/dump").map(\.path)
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent },
                       ["frame_000003.png", String(format: "frame_%06d.png", atTime.index)])
        for (file, frame) in zip(written, [frames[3], atTime]) {
            let stream = (try ffprobe(file, ["-show_streams"])["streams"] as! [[String: Any]])[0]
            XCTAssertEqual(stream["codec_name"] as? String, "png")
            XCTAssertEqual(stream["width"] as? Int, 720)
            XCTAssertEqual(stream["height"] as? Int, 480)
            XCTAssertEqual(stream["pix_fmt"] as? String, "rgb24")
            XCTAssertTrue(try decodeAll(file)[0].image == frame.image, "\(file) does not hold the decoded pixels")
        }
    }

    func testSixteenBitDumpsKeepTenBitPrecision() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/ten.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=0.2", "-pix_fmt", "yuv444p10le", "-c:v", "ffv1", source])
        let file = try FrameDumper.dump(source, frames: [.index(0)], into: directory, bitsPerComponent: 16)[0].path
        let stream = (try ffprobe(file, ["-show_streams"])["streams"] as! [[String: Any]])[0]
        XCTAssertEqual(stream["pix_fmt"] as? String, "rgb48be")
        let original = try decodeAll(source)[0].image.pixels, dumped = try decodeAll(file)[0].image.pixels
        XCTAssertEqual(zip(original, dumped).map { abs($0 - $1) }.max()!, 0, accuracy: 0.5 / 65535)
    }

    func testAFrameBeyondTheEndIsAClearError() throws {
        let directory = try temporaryDirectory()
        let source = samplePath("still.png")
        XCTAssertThrowsError(try FrameDumper.dump(source, frames: [.index(0), .index(5)], into: directory)) { error in
            XCTAssertEqual("\(error)", "\(source): no frame 5: it has 1 frames, 0.040 s")
        }
    }
}
