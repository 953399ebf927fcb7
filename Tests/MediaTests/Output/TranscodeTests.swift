import XCTest
@testable import Media

final class TranscodeTests: XCTestCase {
    /// A clip with sound, made by the ffmpeg tool.
    private func clipWithSound(_ directory: String, rate: String = "25", seconds: Double = 2) throws -> String {
        let path = directory + "/source.mp4"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=\(rate):duration=\(seconds)",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)",
                    "-metadata", "title=Reel 1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", path])
        return path
    }

    private func stream(_ streams: [[String: Any]], _ type: String) -> [String: Any]? {
        streams.first { $0["codec_type"] as? String == type }
    }

    func testFFV1MasterDecodesToTheSameRGBBitForBit() throws {
        let directory = try temporaryDirectory()
        let source = try clipWithSound(directory)
        let master = directory + "/master.mkv"
        let summary = try Transcoder.transcode(input: source, output: master, options: TranscodeOptions(encoder: EncoderSettings(codec: .ffv1)))
        let original = try decodeAll(source), copy = try decodeAll(master)
        XCTAssertEqual(summary.frames, 50)
        XCTAssertEqual(copy.count, original.count)
        for (a, b) in zip(original, copy) { XCTAssertTrue(a.image == b.image, "frame \(a.index) differs") }
        XCTAssertEqual(try MediaProbe.probe(master).video.pixelFormat, "bgr0")
    }

    func testTenBitFFV1MasterIsLossless() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/ten.mov"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=24:duration=0.5", "-c:v", "prores_ks", "-pix_fmt", "yuv422p10le", source])
        let master = directory + "/master.mkv"
        try Transcoder.transcode(input: source, output: master, options: TranscodeOptions(encoder: EncoderSettings(codec: .ffv1)))
        XCTAssertEqual(try MediaProbe.probe(master).video.pixelFormat, "gbrp16le")
        XCTAssertEqual(try decodeAll(source).map(\.image), try decodeAll(master).map(\.image))
    }

    func testRoundTripKeepsFramesTimestampsSoundAndMetadata() throws {
        let directory = try temporaryDirectory()
        let source = try clipWithSound(directory)
        let sourceTimes = try ffprobeFrameTimes(source)
        let sourceAudio = stream(try ffprobeStreams(source), "audio")!
        for name in ["copy.mp4", "copy.mov", "copy.mkv"] {
            let output = directory + "/" + name
            try Transcoder.transcode(input: source, output: output)
            let streams = try ffprobeStreams(output)
            XCTAssertEqual(stream(streams, "video")?["nb_read_frames"] as? String, "50", name)
            let times = try ffprobeFrameTimes(output)
            XCTAssertEqual(times.count, sourceTimes.count, name)
            // Matroska cannot start below zero, so the AAC priming packet moves every stream up alike.
            let shift = name.hasSuffix(".mkv") ? times[0] - sourceTimes[0] : 0
            XCTAssertLessThanOrEqual(abs(shift), 1024.0 / 48000 + 1e-3, name)
            for (a, b) in zip(times, sourceTimes) { XCTAssertEqual(a, b + shift, accuracy: 1e-4, name) }
            let audio = stream(streams, "audio")!
            XCTAssertEqual(audio["codec_name"] as? String, "aac", name)
            XCTAssertEqual(streamDuration(audio) ?? 0, streamDuration(sourceAudio)!, accuracy: 1024.0 / 48000 + 1e-3, name)
            let format = try ffprobe(output, ["-show_format"])["format"] as! [String: Any]
            XCTAssertEqual((format["tags"] as? [String: Any])?["title"] as? String, "Reel 1", name)
            XCTAssertEqual(Double(format["duration"] as! String)!, 2, accuracy: 0.05, name)
        }
    }

    func testVariableFrameRateKeepsEveryTimestampAndDuration() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/vfr.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=128x96:rate=30:duration=3",
                    "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=3",
                    "-vf", "select='lt(n\\,30)+not(mod(n\\,3))'", "-fps_mode", "vfr", "-c:v", "libx264", "-c:a", "flac", source])
        for name in ["out.mp4", "out.mkv"] {
            let output = directory + "/" + name
            try Transcoder.transcode(input: source, output: output)
            let outputInfo = try MediaProbe.probe(output)
            XCTAssertTrue(outputInfo.video.isVariableFrameRate, name)
            let sourceTimes = try ffprobeFrameTimes(source), outputTimes = try ffprobeFrameTimes(output)
            XCTAssertEqual(outputTimes.count, sourceTimes.count, name)
            for (a, b) in zip(sourceTimes, outputTimes) { XCTAssertEqual(a, b, accuracy: 1e-3, name) }
            let audio = stream(try ffprobeStreams(output), "audio")!
            XCTAssertEqual(streamDuration(audio) ?? 0, 3, accuracy: 0.03, name)
        }
        // Matroska times by presentation, so its duration is unambiguous: the video must end where it did.
        XCTAssertEqual(try MediaProbe.probe(directory + "/out.mkv").video.duration,
                       try MediaProbe.probe(source).video.duration, accuracy: 1.0 / 30)
    }

    func testProResAndH264SettingsAndEncoderOptions() throws {
        let directory = try temporaryDirectory()
        let source = try clipWithSound(directory, seconds: 1)
        let prores = directory + "/edit.mov"
        try Transcoder.transcode(input: source, output: prores, options: TranscodeOptions(encoder: EncoderSettings(codec: .prores)))
        let proresVideo = stream(try ffprobeStreams(prores), "video")!
        XCTAssertEqual(proresVideo["codec_name"] as? String, "prores")
        XCTAssertEqual(proresVideo["pix_fmt"] as? String, "yuv422p10le")

        // An option FFmpeg knows, passed through: a key frame every 5 frames.
        let h264 = directory + "/gop.mp4"
        try Transcoder.transcode(input: source, output: h264, options: TranscodeOptions(encoder: EncoderSettings(
            codec: .h264, crf: 30, preset: "ultrafast", pixelFormat: "yuv444p", options: ["g": "5", "sc_threshold": "0"])))
        let frames = try ffprobe(h264, ["-select_streams", "v:0", "-show_entries", "frame=key_frame", "-show_frames"])["frames"] as! [[String: Any]]
        XCTAssertEqual(frames.filter { ($0["key_frame"] as? Int) == 1 }.count, 5)
        XCTAssertEqual(stream(try ffprobeStreams(h264), "video")?["pix_fmt"] as? String, "yuv444p")
    }

    func testSubtitlesAreCopiedIntoMatroska() throws {
        let directory = try temporaryDirectory()
        let subtitles = directory + "/subs.srt"
        try "1\n00:00:00,200 --> 00:00:01,000\nThe end of the reel.\n".write(toFile: subtitles, atomically: true, encoding: .utf8)
        let source = directory + "/subbed.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=1", "-i", subtitles,
                    "-c:v", "ffv1", "-c:s", "srt", "-metadata:s:s:0", "language=fre", source])
        let output = directory + "/out.mkv"
        try Transcoder.transcode(input: source, output: output)
        let copied = stream(try ffprobeStreams(output), "subtitle")
        XCTAssertEqual(copied?["codec_name"] as? String, "subrip")
        XCTAssertEqual((copied?["tags"] as? [String: Any])?["language"] as? String, "fre")
        let packets = try ffprobe(output, ["-select_streams", "s:0", "-show_entries", "packet=pts_time", "-show_packets"])["packets"] as! [[String: Any]]
        XCTAssertEqual(Double(packets.first?["pts_time"] as? String ?? "") ?? -1, 0.2, accuracy: 1e-3)

        // MP4 cannot hold SubRip: a clear error, and nothing written.
        let mp4 = directory + "/out.mp4"
        XCTAssertThrowsError(try Transcoder.transcode(input: source, output: mp4)) { error in
            XCTAssertTrue("\(error)".contains("cannot hold the subrip subtitle stream"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: mp4))
        try Transcoder.transcode(input: source, output: mp4, options: TranscodeOptions(copySubtitles: false))
        XCTAssertNil(stream(try ffprobeStreams(mp4), "subtitle"))
    }

    func testInterlacedDVDKeepsAspectFieldOrderAndSound() throws {
        let directory = try temporaryDirectory()
        let output = directory + "/dvd.mkv"
        let source = samplePath("dvd_ntsc.mpg")
        try Transcoder.transcode(input: source, output: output, options: TranscodeOptions(encoder: EncoderSettings(preset: "ultrafast")))
        let before = try MediaProbe.probe(source).video, after = try MediaProbe.probe(output).video
        XCTAssertEqual(after.frameCount, before.frameCount)
        XCTAssertEqual(after.sampleAspectRatio, Rational(8, 9))
        XCTAssertEqual(after.fieldOrder, before.fieldOrder)
        XCTAssertEqual(after.startTime, before.startTime, accuracy: 1e-3)
        XCTAssertNotNil(stream(try ffprobeStreams(output), "audio"))
    }

    func testAProcessorChangesThePictureSize() throws {
        struct Doubler: FrameProcessor {
            func outputSize(width: Int, height: Int) -> (width: Int, height: Int) { (width * 2, height * 2) }
            func process(_ frame: DecodedFrame) -> RGBImage {
                let source = frame.image
                var image = RGBImage(width: source.width * 2, height: source.height * 2)
                for c in 0..<3 { for y in 0..<image.height { for x in 0..<image.width { image[c, y, x] = source[c, y / 2, x / 2] } } }
                return image
            }
        }
        let directory = try temporaryDirectory()
        let source = directory + "/anamorphic.mpg", output = directory + "/big.mp4"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=0.4", "-vf", "setsar=8/9",
                    "-c:v", "mpeg2video", "-flags", "+ilme+ildct", "-top", "1", source])
        XCTAssertTrue(try MediaProbe.probe(source).video.isInterlaced)
        try Transcoder.transcode(input: source, output: output, options: TranscodeOptions(encoder: EncoderSettings(preset: "ultrafast")), processor: Doubler())
        let video = try MediaProbe.probe(output).video
        XCTAssertEqual(video.width, 192)
        XCTAssertEqual(video.height, 128)
        XCTAssertEqual(video.sampleAspectRatio, Rational(8, 9), "pixel shape is kept when both sides scale alike")
        XCTAssertEqual(video.fieldOrder, "progressive")
    }
}
