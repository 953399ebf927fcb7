import Foundation
import XCTest
import TestSupport

/// A 10-bit input keeps its precision through decoding, SR and encoding (issue 17): its 10-bit
/// output is measurably closer to FilmSR's own float SR result than the 8-bit output of the same
/// run, read back by the ffmpeg tool at 16 bits.
final class TenBitCommandTests: CommandLineTestCase {
    let width = 96, height = 64, scale = 4

    /// Smooth 10-bit gradients, moving 2 codes a frame: luma runs diagonally over most of the
    /// limited range, chroma along each axis; ProRes 422 HQ (yuv422p10le), 12 frames at 24 fps.
    func makeRamp(in folder: String) throws -> String {
        let path = folder + "/ramp.mov"
        try executeSucceeding("/usr/bin/ffmpeg", [
            "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=\(width)x\(height):r=24:d=0.5",
            "-vf", "format=yuv444p10le,geq=lum='64+870*(X+Y+2*N)/(W+H+24)':cb='512+120*X/W':cr='560-120*Y/H',format=yuv422p10le",
            "-c:v", "prores_ks", "-profile:v", "3", path])
        return path
    }

    /// Frame `index` of `path` decoded by the ffmpeg tool to `format` (rgb48le or gray16le), as 0-1 values.
    func decoded(_ path: String, frame index: Int, _ format: String = "rgb48le") throws -> [Double] {
        let result = try ProcessRunner.run("/usr/bin/ffmpeg", [
            "-v", "error", "-i", path, "-vf", "select=eq(n\\,\(index))", "-frames:v", "1",
            "-sws_flags", "accurate_rnd+full_chroma_int+bitexact", "-f", "rawvideo", "-pix_fmt", format, "-"])
        guard result.status == 0 else { throw CommandFailure(description: "ffmpeg cannot decode \(path): \(result.errorText)") }
        return result.output.withUnsafeBytes { bytes in
            bytes.bindMemory(to: UInt16.self).map { Double(UInt16(littleEndian: $0)) / 65535 }
        }
    }

    func rootMeanSquare(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count && !a.isEmpty)
        return (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(a.count)).squareRoot()
    }

    func pixelFormat(_ path: String) throws -> String? {
        try ffprobeStreams(path, ["-select_streams", "v:0"])[0]["pix_fmt"] as? String
    }

    /// Distinct luma levels in frame `index`: at most 256 for any 8-bit output.
    func lumaLevels(_ path: String, frame index: Int) throws -> Int {
        Set(try decoded(path, frame: index, "gray16le")).count
    }

    /// The 10-bit and 8-bit outputs against `reference` (FilmSR's float result at 16 bits): the
    /// 10-bit one is 10-bit when read back, has more than 256 levels and a much smaller error.
    func assertTenBitBeatsEightBit(ten: String, eight: String, reference: [Double], frame: Int, what: String) throws {
        XCTAssertEqual(try pixelFormat(ten), "yuv444p10le")
        XCTAssertEqual(try pixelFormat(eight), "yuv444p")
        let tenError = rootMeanSquare(try decoded(ten, frame: frame), reference)
        let eightError = rootMeanSquare(try decoded(eight, frame: frame), reference)
        let tenLevels = try lumaLevels(ten, frame: frame), eightLevels = try lumaLevels(eight, frame: frame)
        print(String(format: "10-bit %@: RMS error against the float result %.6f (10-bit) and %.6f (8-bit), %.1fx; luma levels %d and %d",
                     what, tenError, eightError, eightError / tenError, tenLevels, eightLevels))
        // Quantisation alone: 10 bits have 4 times the steps of 8.
        XCTAssertGreaterThan(eightError / tenError, 3, what)
        XCTAssertLessThan(tenError, 1.0 / 876, "\(what): the 10-bit output is within a 10-bit step of the float result")
        XCTAssertGreaterThan(tenLevels, 256, what)
        XCTAssertLessThanOrEqual(eightLevels, 256, what)
    }

    func testUpscaleOfATenBitInputGivesATenBitMaster() throws {
        let folder = try temporaryDirectory()
        let ramp = try makeRamp(in: folder)
        func upscale(_ name: String, _ options: [String]) throws -> String {
            let output = folder + "/" + name
            try filmsrSucceeding(["upscale", ramp, output, "--model", "compact-x4", "--threads", "1"] + options)
            return output
        }
        // The lossless master of a deep source is 16-bit RGB: FilmSR's float result to 1/65535.
        let master = try upscale("master.mkv", ["--codec", "ffv1"])
        XCTAssertEqual(try pixelFormat(master), "gbrp16le")
        let frame = 5
        let reference = try decoded(master, frame: frame)
        XCTAssertEqual(reference.count, 3 * width * scale * height * scale)
        let ten = try upscale("ten.mkv", ["--codec", "ffv1", "--pix-fmt", "yuv444p10le"])
        let eight = try upscale("eight.mkv", ["--codec", "ffv1", "--pix-fmt", "yuv444p"])
        try assertTenBitBeatsEightBit(ten: ten, eight: eight, reference: reference, frame: frame, what: "upscale, FFV1")

        // The lossy deliveries: ProRes and H.264 keep 10 bits by default for a 10-bit source,
        // and beat an 8-bit 4:2:0 H.264 of the same run.
        let prores = try upscale("prores.mov", ["--codec", "prores"])
        let h264 = try upscale("h264.mkv", ["--codec", "h264"])
        let h264Eight = try upscale("h264-8.mkv", ["--codec", "h264", "--pix-fmt", "yuv420p"])
        XCTAssertEqual(try pixelFormat(prores), "yuv422p10le")
        XCTAssertEqual(try pixelFormat(h264), "yuv422p10le")
        let proresError = rootMeanSquare(try decoded(prores, frame: frame), reference)
        let h264Error = rootMeanSquare(try decoded(h264, frame: frame), reference)
        let h264EightError = rootMeanSquare(try decoded(h264Eight, frame: frame), reference)
        print(String(format: "10-bit upscale: RMS error ProRes 422 HQ %.6f, H.264 yuv422p10le %.6f, H.264 yuv420p %.6f",
                     proresError, h264Error, h264EightError))
        XCTAssertLessThan(proresError, h264EightError / 2)
        XCTAssertLessThan(h264Error, h264EightError)
        XCTAssertGreaterThan(try lumaLevels(prores, frame: frame), 256)
    }

    /// The other 10-bit inputs archives hold (FFV1, H.264 High 10, HEVC Main 10) upscale to a
    /// 10-bit H.264 by default, with more levels than 8 bits have.
    func testEveryTenBitInputCodecGivesATenBitOutput() throws {
        let folder = try temporaryDirectory()
        let ramp = try makeRamp(in: folder)
        for (codec, format, expected) in [("ffv1", "yuv422p10le", "yuv422p10le"), ("libx264", "yuv420p10le", "yuv420p10le"),
                                          ("libx265", "yuv420p10le", "yuv420p10le")] {
            let input = "\(folder)/\(codec).mkv", output = "\(folder)/\(codec)-x4.mkv"
            try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", ramp, "-c:v", codec, "-pix_fmt", format] +
                                  (codec == "libx265" ? ["-x265-params", "log-level=error"] : []) + [input])
            XCTAssertEqual(try pixelFormat(input), format)
            try filmsrSucceeding(["upscale", input, output, "--model", "compact-x4", "--threads", "1"])
            XCTAssertEqual(try pixelFormat(output), expected, codec)
            let levels = try lumaLevels(output, frame: 5)
            print("10-bit \(codec) \(format) input: upscaled to \(try pixelFormat(output) ?? "?") with \(levels) luma levels")
            XCTAssertGreaterThan(levels, 256, codec)
        }
    }

    /// Restore (scenes, adaptation, segment render and join) against its own dump of the adapted
    /// SR frame, which is written at 16 bits for a deep source.
    func testRestoreOfATenBitInputGivesATenBitMaster() throws {
        let folder = try temporaryDirectory()
        let ramp = try makeRamp(in: folder)
        let frame = 5
        let quick = ["--iterations", "2", "--batch", "1", "--patch", "32", "--frames-per-scene", "2", "--codec", "ffv1",
                     "--threads", "1", "--dump", String(frame)]
        var dumps: [[Double]] = []
        for (name, format) in [("ten", "yuv444p10le"), ("eight", "yuv444p")] {
            try filmsrSucceeding(["restore", ramp, "\(folder)/\(name).mkv", "--pix-fmt", format, "--work", "\(folder)/\(name)-work"] + quick)
            let dumped = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(name)-work/dump")
                .first { $0.contains("adapted") }, "no adapted dump in \(folder)/\(name)-work/dump")
            let picture = "\(folder)/\(name)-work/dump/\(dumped)"
            XCTAssertEqual(try ffprobeStreams(picture, [])[0]["pix_fmt"] as? String, "rgb48be")
            dumps.append(try decoded(picture, frame: 0))
        }
        // The same seed adapts the same weights whatever the output's format.
        XCTAssertEqual(dumps[0], dumps[1])
        XCTAssertEqual(dumps[0].count, 3 * width * scale * height * scale)
        try assertTenBitBeatsEightBit(ten: folder + "/ten.mkv", eight: folder + "/eight.mkv", reference: dumps[0],
                                      frame: frame, what: "restore, FFV1")
    }
}
