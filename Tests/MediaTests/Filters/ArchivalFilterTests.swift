import XCTest
@testable import Media

/// Deinterlacing and inverse telecine on the samples with progressive truth
/// (samples/make_archival.sh), compared with the truth and with the ffmpeg tool's own filters.
final class ArchivalFilterTests: XCTestCase {
    private let lossless = EncoderSettings(codec: .ffv1)

    /// FilmSR's transcode of `input` with `filters` into a lossless file, decoded again.
    private func filtered(_ input: String, _ filters: ArchivalFilters, in directory: String, name: String) throws -> (TranscodeSummary, [DecodedFrame]) {
        let output = directory + "/" + name
        let summary = try Transcoder.transcode(input: input, output: output, options: TranscodeOptions(encoder: lossless, filters: filters))
        return (summary, try decodeAll(output))
    }

    /// The ffmpeg tool's output of `input` through `filter`, lossless, decoded by FilmSR.
    private func ffmpegFiltered(_ input: String, _ filter: String, in directory: String, name: String) throws -> [DecodedFrame] {
        let output = directory + "/" + name
        try ffmpeg(["-i", input, "-vf", filter, "-an", "-c:v", "ffv1", output])
        return try decodeAll(output)
    }

    func testDeinterlacingBeatsTheWovenFramesAndMatchesFFmpegsBwdif() throws {
        let directory = try temporaryDirectory()
        let source = samplePath("interlaced.mkv")
        let truth = try decodeAll(samplePath("interlaced_truth.mkv")).map(\.image)
        XCTAssertEqual(truth.count, 120)
        // One frame per interlaced frame: frame k shows the moment of its top field, truth frame 2k.
        let (summary, auto) = try filtered(source, ArchivalFilters(), in: directory, name: "auto.mkv")
        let woven = try decodeAll(source)
        let cli = try ffmpegFiltered(source, "bwdif=mode=send_frame", in: directory, name: "cli.mkv")
        XCTAssertEqual(auto.count, 60)
        XCTAssertEqual(cli.count, 60)
        func againstTruth(_ frames: [DecodedFrame]) -> Double {
            meanLumaPSNR(frames.enumerated().map { ($0.element.image, truth[2 * $0.offset]) })
        }
        let autoPSNR = againstTruth(auto), wovenPSNR = againstTruth(woven), cliPSNR = againstTruth(cli)
        print("deinterlace per frame: auto \(autoPSNR) dB, none \(wovenPSNR) dB, ffmpeg bwdif \(cliPSNR) dB; \(summary.filters!.reason)")
        XCTAssertGreaterThanOrEqual(autoPSNR - wovenPSNR, 3)
        XCTAssertEqual(autoPSNR, cliPSNR, accuracy: 0.5)
        XCTAssertEqual(try MediaProbe.probe(directory + "/auto.mkv").video.fieldOrder, "progressive")
    }

    func testOneFramePerFieldGivesTheTruthsFramesAndTimes() throws {
        let directory = try temporaryDirectory()
        let source = samplePath("interlaced.mkv"), truthPath = samplePath("interlaced_truth.mkv")
        let truth = try decodeAll(truthPath).map(\.image)
        let (_, fields) = try filtered(source, ArchivalFilters(deinterlace: .bwdif, fieldRate: .field), in: directory, name: "fields.mkv")
        let cli = try ffmpegFiltered(source, "bwdif=mode=send_field", in: directory, name: "cli.mkv")
        XCTAssertEqual(fields.count, 120)
        let ours = meanLumaPSNR(zip(fields.map(\.image), truth).map { $0 }), theirs = meanLumaPSNR(zip(cli.map(\.image), truth).map { $0 })
        print("deinterlace per field: bwdif \(ours) dB, ffmpeg bwdif send_field \(theirs) dB")
        XCTAssertEqual(ours, theirs, accuracy: 0.5)
        // 59.94 frames a second, each at its field's moment (both files have millisecond times, so
        // ffprobe's guess of either rate is 19001/317).
        let times = try ffprobeFrameTimes(directory + "/fields.mkv"), truthTimes = try ffprobeFrameTimes(truthPath)
        XCTAssertEqual(times.count, truthTimes.count)
        for (a, b) in zip(times, truthTimes) { XCTAssertEqual(a, b, accuracy: 0.0015) }
    }

    func testInverseTelecineGivesBackTheFilmFramesInSyncWithTheSound() throws {
        let directory = try temporaryDirectory()
        let source = samplePath("telecine.mpg")
        let truth = try decodeAll(samplePath("telecine_truth.mkv")).map(\.image)
        XCTAssertEqual(truth.count, 72)
        let (summary, film) = try filtered(source, ArchivalFilters(inverseTelecine: true), in: directory, name: "film.mkv")
        let cli = try ffmpegFiltered(source, "fieldmatch,decimate", in: directory, name: "cli.mkv")
        XCTAssertEqual(summary.frames, 72)
        XCTAssertEqual(film.count, 72)
        XCTAssertEqual(cli.count, 72)
        var worst = 0.0
        for k in 0..<72 {
            let ours = lumaPSNR(film[k].image, truth[k]), theirs = lumaPSNR(cli[k].image, truth[k])
            worst = max(worst, abs(ours - theirs))
            XCTAssertEqual(ours, theirs, accuracy: 1, "film frame \(k)")
        }
        let ours = meanLumaPSNR(zip(film.map(\.image), truth).map { $0 }), theirs = meanLumaPSNR(zip(cli.map(\.image), truth).map { $0 })
        print("inverse telecine: \(ours) dB against the truth, ffmpeg fieldmatch,decimate \(theirs) dB; worst frame apart \(worst) dB; \(summary.filters!.reason)")

        let streams = try ffprobeStreams(directory + "/film.mkv"), input = try ffprobeStreams(source)
        func start(_ streams: [[String: Any]], _ type: String) throws -> Double {
            let stream = try XCTUnwrap(streams.first { $0["codec_type"] as? String == type })
            return Double(try XCTUnwrap(stream["start_time"] as? String))!
        }
        let video = streams.first { $0["codec_type"] as? String == "video" }!
        XCTAssertEqual(video["r_frame_rate"] as? String, "24000/1001")
        XCTAssertEqual(video["nb_read_frames"] as? String, "72")
        // The sound's packets keep their times: the picture must start where it did against them.
        let offsetBefore = try start(input, "audio") - start(input, "video"), offsetAfter = try start(streams, "audio") - start(streams, "video")
        print("inverse telecine: audio starts \(offsetBefore * 1000) ms after the video in the input, \(offsetAfter * 1000) ms in the output")
        XCTAssertEqual(offsetAfter, offsetBefore, accuracy: 0.001)
        // 72 film frames last as long as the 90 video frames did.
        let times = try ffprobeFrameTimes(directory + "/film.mkv")
        XCTAssertEqual(times.last! - times.first! + 1001.0 / 24000, 90 * 1001.0 / 30000, accuracy: 0.002)
    }

    /// A 10-bit ramp, interlaced, through bwdif: the filters keep the depth (no 8-bit step in the graph).
    func testTenBitVideoStaysTenBitThroughTheFilters() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/ramp.mkv"
        // Luma 64 + x: every 10-bit code from 64 to 575 once along a row, neutral chroma, 12 frames.
        try ffmpeg(["-f", "lavfi", "-i", "color=black:size=512x32:rate=30000/1001:duration=0.4", "-vf",
                    "format=yuv422p10le,geq=lum='64+X':cb=512:cr=512,setfield=tff", "-c:v", "ffv1", "-field_order", "tt", source])
        let output = directory + "/out.mkv"
        let summary = try Transcoder.transcode(input: source, output: output,
                                               options: TranscodeOptions(encoder: lossless, filters: ArchivalFilters(deinterlace: .bwdif)))
        XCTAssertEqual(summary.filters?.graph, "bwdif=mode=send_frame:parity=auto:deint=all")
        XCTAssertEqual(try ffprobeStreams(output).first?["pix_fmt"] as? String, "gbrp16le")
        let frames = try decodeAll(output)
        XCTAssertEqual(frames.count, 12)
        // 512 codes of 10-bit luma give about 512 grey levels; an 8-bit stage would leave at most 129.
        let image = frames[5].image
        let row = (0..<image.width).map { image[1, 16, $0] }
        let levels = Set(row).count
        print("10-bit ramp through bwdif: \(levels) distinct grey levels in a row of 512")
        XCTAssertGreaterThan(levels, 400)
        XCTAssertEqual(Double(row[300] - row[299]), 1.0 / 219 / 4, accuracy: 0.0005)
    }

    func testAFilterThatWouldDropBitsIsRefused() throws {
        let directory = try temporaryDirectory()
        let source = directory + "/ten.mov"
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=24:duration=0.3", "-c:v", "prores_ks", "-pix_fmt", "yuv422p10le", source])
        XCTAssertThrowsError(try Transcoder.transcode(input: source, output: directory + "/out.mkv",
                                                      options: TranscodeOptions(filters: ArchivalFilters(deinterlace: .off, additional: "format=yuv420p")))) { error in
            XCTAssertEqual("\(error)", "\(source): cannot build the filter graph 'format=yuv420p': filter 'format' would reduce yuv422p10le to yuv420p; it works in fewer bits than the video has")
        }
    }

    func testBadFilterSettingsGiveOneLine() throws {
        let source = samplePath("interlaced.mkv")
        let cases: [(ArchivalFilters, String)] = [
            (ArchivalFilters(deinterlace: .off, additional: "bwdiff"), "\(source): cannot build the filter graph 'bwdiff': FFmpeg has no filter named 'bwdiff'"),
            (ArchivalFilters(fieldRate: .field, inverseTelecine: true), "\(source): inverse telecine gives one picture per film frame; it cannot also give one per field"),
            (ArchivalFilters(deinterlace: .off, fieldRate: .field), "\(source): one picture per field needs a deinterlacer, but deinterlacing is off"),
            (ArchivalFilters(deflickerFrames: 1), "\(source): deflicker works over 2 to 129 frames, not 1"),
        ]
        for (filters, message) in cases {
            XCTAssertThrowsError(try VideoFrameReader(path: source, filters: filters.plan(forFile: source)).next()) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    func testSettingsRoundTripThroughJSON() throws {
        let filters = ArchivalFilters(deinterlace: .yadif, fieldRate: .field, deflickerFrames: 7, measuredFrames: 100)
        let data = try JSONEncoder().encode(filters)
        XCTAssertEqual(try JSONDecoder().decode(ArchivalFilters.self, from: data), filters)
        XCTAssertEqual(filters.plan(for: nil).graph, "yadif=mode=send_field:parity=auto:deint=all,deflicker=size=7")
    }
}
