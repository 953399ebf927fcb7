import XCTest
@testable import Media

/// A render in segments: each piece encoded on its own, an interrupted render redoing only what
/// it had not finished, and the pieces joined into the film the one-pass transcode would make.
final class SegmentedRenderTests: XCTestCase {
    private func videoChecksums(_ path: String) throws -> [String] {
        try MediaTests.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"])
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    }

    /// Variable frame rate and H.264 with B-frames (every piece starts at a negative decoding
    /// offset): the joined film has every frame at its time, a key frame at each piece's start,
    /// the sound and the title, and decodes without a complaint.
    func testJoinedSegmentsKeepEveryTimestampTheSoundAndTheMetadata() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/vfr.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=128x96:rate=30:duration=3",
                    "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=3", "-metadata", "title=Reel 2",
                    "-vf", "select='lt(n\\,30)+not(mod(n\\,3))'", "-fps_mode", "vfr", "-c:v", "libx264", "-c:a", "flac", source])
        let sourceTimes = try ffprobeFrameTimes(source)
        XCTAssertEqual(sourceTimes.count, 50)
        for name in ["film.mp4", "film.mkv"] {
            let output = directory + "/" + name
            // The last piece is planned short: frames past its end join it.
            let render = try SegmentedRender(input: source, output: output, folder: output + ".segments",
                                             segments: [0..<7, 7..<8, 8..<25, 25..<30], options: TranscodeOptions())
            XCTAssertEqual(try render.render(processor: UnchangedFrames()), 50, name)
            XCTAssertEqual(render.finishedSegments, [0, 1, 2, 3], name)
            let summary = try render.join()
            XCTAssertEqual(summary.frames, 50, name)
            XCTAssertEqual(summary.copiedStreams, [1], name)

            let times = try ffprobeFrameTimes(output)
            XCTAssertEqual(times.count, 50, name)
            for (a, b) in zip(times, sourceTimes) { XCTAssertEqual(a, b, accuracy: 1e-4, name) }
            let frames = try ffprobe(output, ["-select_streams", "v:0", "-show_entries", "frame=key_frame", "-show_frames"])["frames"] as! [[String: Any]]
            let keyFrames = frames.indices.filter { (frames[$0]["key_frame"] as? Int) == 1 }
            for start in [0, 7, 8, 25] { XCTAssertTrue(keyFrames.contains(start), "\(name): no key frame at \(start): \(keyFrames)") }
            let audio = try ffprobeStreams(output).first { $0["codec_type"] as? String == "audio" }
            XCTAssertEqual(audio?["codec_name"] as? String, "flac", name)
            XCTAssertEqual(streamDuration(audio ?? [:]) ?? 0, 3, accuracy: 0.03, name)
            let format = try ffprobe(output, ["-show_format"])["format"] as! [String: Any]
            XCTAssertEqual((format["tags"] as? [String: Any])?["title"] as? String, "Reel 2", name)
            // -xerror: any decoding error fails the run, and the test.
            try MediaTests.run("ffmpeg", ["-v", "error", "-xerror", "-i", output, "-f", "null", "-"])
        }
        // The pieces join into exactly the pictures of a one-pass transcode (lossless here).
        let master = TranscodeOptions(encoder: EncoderSettings(codec: .ffv1))
        try Transcoder.transcode(input: source, output: directory + "/whole.mkv", options: master)
        let render = try SegmentedRender(input: source, output: directory + "/joined.mkv", folder: directory + "/ffv1",
                                         segments: [0..<20, 20..<50], options: master)
        try render.render(processor: UnchangedFrames())
        // Just before the film takes its name, it is complete under another one and nothing is at
        // the output yet (restore records the film there, so that no kill leaves a film without its record).
        var seen: (size: Int, outputThere: Bool)?
        try render.join { complete in
            let size = (try FileManager.default.attributesOfItem(atPath: complete)[.size] as? NSNumber)?.intValue ?? 0
            seen = (size, FileManager.default.fileExists(atPath: directory + "/joined.mkv"))
        }
        XCTAssertEqual(seen?.outputThere, false)
        XCTAssertEqual(seen?.size, (try FileManager.default.attributesOfItem(atPath: directory + "/joined.mkv")[.size] as? NSNumber)?.intValue)
        XCTAssertEqual(try videoChecksums(directory + "/joined.mkv"), try videoChecksums(directory + "/whole.mkv"))
    }

    /// A piece lost (killed while it was being written) is rendered again alone, and the film
    /// joined afterwards is the same; other encoder settings make every piece be rendered again.
    func testRenderRedoesOnlyWhatIsMissingAndJoinsTheSameFilm() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/source.mp4"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2", "-c:v", "libx264", "-c:a", "aac", source])
        let output = directory + "/film.mkv", folder = directory + "/segments"
        let options = TranscodeOptions(encoder: EncoderSettings(codec: .h264, preset: "ultrafast"))
        let render = try SegmentedRender(input: source, output: output, folder: folder, segments: [0..<20, 20..<35, 35..<50], options: options)
        XCTAssertEqual(try render.render(processor: UnchangedFrames()), 50)
        try render.join()
        let first = try videoChecksums(output)
        let firstAudio = try MediaTests.run("ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "packet=pts,duration,size", "-of", "csv", output])
        XCTAssertEqual(first.count, 50)

        try FileManager.default.removeItem(atPath: render.segmentPath(1))
        try FileManager.default.removeItem(atPath: output)
        // What a killed run leaves of the piece it was writing.
        let halfWritten = folder + "/.segment-00001.fsrseg.99999.filmsr-tmp"
        FileManager.default.createFile(atPath: halfWritten, contents: Data(repeating: 7, count: 1000))
        XCTAssertEqual(render.framesToRender(), 15)
        XCTAssertEqual(try render.render(processor: UnchangedFrames()), 15)
        XCTAssertFalse(FileManager.default.fileExists(atPath: halfWritten))
        XCTAssertEqual(try render.render(processor: UnchangedFrames()), 0, "nothing left to render")
        try render.join()
        XCTAssertEqual(try videoChecksums(output), first)
        XCTAssertEqual(try MediaTests.run("ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "packet=pts,duration,size", "-of", "csv", output]), firstAudio)

        let otherQuality = TranscodeOptions(encoder: EncoderSettings(codec: .h264, crf: 30, preset: "ultrafast"))
        let again = try SegmentedRender(input: source, output: output, folder: folder, segments: render.segments, options: otherQuality)
        XCTAssertEqual(try again.render(processor: UnchangedFrames()), 50, "pieces made with other settings are made again")
    }

    /// x264's order for seven pictures 33 ticks apart, then a lone picture (a piece too short to
    /// be delayed), then a reordered piece: its own times (200, 201, ...) would go back.
    /// Pieces rendered apart, as a cluster's render tasks do in one prepared folder, join into
    /// the film a single pass makes; a task leaves the half-written pieces of other tasks alone,
    /// and only its own are started again.
    func testPiecesRenderedApartJoinIntoTheSameFilm() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/source.mp4"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2", "-c:v", "libx264", "-c:a", "aac", source])
        let options = TranscodeOptions(encoder: EncoderSettings(codec: .h264, preset: "ultrafast"))
        let segments = [0..<20, 20..<35, 35..<50]
        let whole = try SegmentedRender(input: source, output: directory + "/whole.mkv", folder: directory + "/whole", segments: segments, options: options)
        try whole.render(processor: UnchangedFrames())
        try whole.join()

        let apart = try SegmentedRender(input: source, output: directory + "/apart.mkv", folder: directory + "/apart", segments: segments, options: options)
        XCTAssertThrowsError(try apart.render([0], processor: UnchangedFrames()), "an unprepared folder is refused")
        try apart.prepare(outputWidth: 160, outputHeight: 120)
        let othersPiece = directory + "/apart/.segment-00001.fsrseg.4242.filmsr-tmp"
        FileManager.default.createFile(atPath: othersPiece, contents: Data(repeating: 7, count: 100))
        XCTAssertEqual(try apart.render([2], processor: UnchangedFrames()), 15)
        XCTAssertEqual(try apart.render([0], processor: UnchangedFrames()), 20)
        XCTAssertTrue(FileManager.default.fileExists(atPath: othersPiece), "another task's piece in progress")
        XCTAssertEqual(try apart.render([1], processor: UnchangedFrames()), 15)
        XCTAssertFalse(FileManager.default.fileExists(atPath: othersPiece), "its own killed piece is started again")
        XCTAssertEqual(try apart.render([0, 1, 2], processor: UnchangedFrames()), 0, "nothing left to render")
        try apart.join()
        XCTAssertEqual(try videoChecksums(directory + "/apart.mkv"), try videoChecksums(directory + "/whole.mkv"))
        let packets = { (path: String) in
            try MediaTests.run("ffprobe", ["-v", "error", "-show_entries", "packet=stream_index,pts,duration,size", "-of", "csv", path])
        }
        XCTAssertEqual(try packets(directory + "/apart.mkv"), try packets(directory + "/whole.mkv"), "every packet of sound and picture")
    }

    func testDecodingTimesRiseAndPrecedeEveryPresentation() {
        let presentation: [Int64] = [0, 133, 67, 33, 100, 167, 200, 233, 267, 367, 300, 333]
        let decoding = DecodingTimestamps.assign(presentation)
        XCTAssertEqual(decoding, [-66, -33, 0, 33, 67, 100, 133, 167, 200, 233, 267, 300])
        for (dts, pts) in zip(decoding, presentation) { XCTAssertLessThanOrEqual(dts, pts) }
        XCTAssertEqual(DecodingTimestamps.assign([0, 512, 1024]), [0, 512, 1024], "no reordering, no delay")
    }

    func testBadPlansAndMissingPiecesAreRefused() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/source.mkv"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=0.4", "-c:v", "ffv1", source])
        XCTAssertThrowsError(try SegmentedRender(input: source, output: directory + "/out.mkv", folder: directory + "/s",
                                                 segments: [1..<5], options: TranscodeOptions())) { error in
            XCTAssertEqual("\(error)", "\(directory)/s: render segments must be consecutive, non-empty runs of frames from frame 0")
        }
        let render = try SegmentedRender(input: source, output: directory + "/out.mkv", folder: directory + "/s",
                                         segments: [0..<5, 5..<10], options: TranscodeOptions())
        XCTAssertThrowsError(try render.join()) { error in
            XCTAssertEqual("\(error)", "\(render.segmentPath(0)): render segment 1 of 2 is missing: render before joining")
        }
        let tooLong = try SegmentedRender(input: source, output: directory + "/out.mkv", folder: directory + "/t",
                                          segments: [0..<10, 10..<20], options: TranscodeOptions())
        XCTAssertThrowsError(try tooLong.render(processor: UnchangedFrames())) { error in
            XCTAssertEqual("\(error)", "\(source): ended before frame 10: it has fewer frames than when it was scanned")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/out.mkv"))
    }
}
