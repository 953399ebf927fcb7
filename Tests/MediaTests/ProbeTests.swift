import XCTest
@testable import Media

final class ProbeTests: XCTestCase {
    func testCountsFramesOfAProgramStreamThatDeclaresNone() throws {
        let path = samplePath("dvd_ntsc.mpg")
        let info = try MediaProbe.probe(path)
        let streams = try ffprobeStreams(path)
        let video = streams.first { $0["codec_type"] as? String == "video" }!
        XCTAssertNil(info.video.declaredFrameCount, "MPEG-PS has no frame count header")
        XCTAssertEqual(info.video.frameCount, Int(video["nb_read_frames"] as! String))
        XCTAssertEqual(info.video.width, 720)
        XCTAssertEqual(info.video.height, 480)
        XCTAssertEqual(info.video.averageFrameRate, Rational(30000, 1001))
        XCTAssertFalse(info.video.isVariableFrameRate)
        XCTAssertEqual(info.video.sampleAspectRatio, Rational(8, 9))
        XCTAssertEqual(info.video.displayAspectRatio, Rational(4, 3))
        XCTAssertEqual(info.video.fieldOrder, video["field_order"] as? String)
        XCTAssertTrue(info.video.isInterlaced)
        XCTAssertEqual(info.video.codecName, "mpeg2video")
        XCTAssertEqual(info.otherStreams.filter { $0.kind == "audio" }.count, 1)
    }

    func testRecognisesVariableFrameRateAndMeasuresIntervals() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/vfr.mp4"
        // 30 frames at 30 fps, then every third frame: the rate drops to 10 fps.
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=128x96:rate=30:duration=3",
                    "-vf", "select='lt(n\\,30)+not(mod(n\\,3))'", "-fps_mode", "vfr", "-c:v", "libx264", path])
        let info = try MediaProbe.probe(path)
        let times = try ffprobeFrameTimes(path)
        XCTAssertTrue(info.video.isVariableFrameRate)
        XCTAssertEqual(info.video.frameCount, times.count)
        XCTAssertEqual(info.video.minFrameInterval, 1.0 / 30, accuracy: 1e-3)
        XCTAssertEqual(info.video.maxFrameInterval, 1.0 / 10, accuracy: 1e-3)
        // The container gives the last frame its own duration: the stream ends where that frame ends.
        let packets = try ffprobe(path, ["-select_streams", "v:0", "-show_entries", "packet=pts_time,duration_time", "-show_packets"])["packets"] as! [[String: Any]]
        let end = packets.map { Double($0["pts_time"] as! String)! + Double($0["duration_time"] as! String)! }.max()!
        XCTAssertEqual(info.video.duration, end - times.min()!, accuracy: 1e-3)
    }

    func testConstantRateInMillisecondTimeBaseIsNotVariable() throws {
        let path = try temporaryDirectory() + "/ntsc.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=30000/1001:duration=2", "-c:v", "ffv1", path])
        let info = try MediaProbe.probe(path)
        XCTAssertEqual(info.video.timeBase, Rational(1, 1000))
        XCTAssertFalse(info.video.isVariableFrameRate)
        XCTAssertEqual(info.video.frameCount, 60)
    }

    func testReportsColourMetadataPixelFormatAndDepth() throws {
        let path = try temporaryDirectory() + "/tagged.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1", "-pix_fmt", "yuv422p10le",
                    "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv",
                    "-c:v", "ffv1", path])
        let video = try MediaProbe.probe(path).video
        XCTAssertEqual(video.pixelFormat, "yuv422p10le")
        XCTAssertEqual(video.bitsPerComponent, 10)
        XCTAssertEqual(video.color, ColorDescription(range: "tv", matrix: "bt709", primaries: "bt709", transfer: "bt709"))
        XCTAssertEqual(video.fieldOrder, "progressive")
    }
}
