import Foundation
import XCTest
@testable import Media
import TestSupport

/// Runs a program to completion; returns its standard output, failing the test on a non-zero exit.
@discardableResult
func run(_ program: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let result = try ProcessRunner.run(program, arguments)
    if result.status != 0 {
        XCTFail("\(program) \(arguments.joined(separator: " ")) failed: \(result.errorText)", file: file, line: line)
    }
    return result.outputText
}

/// Makes a clip with the ffmpeg command-line tool (an independent writer) from lavfi sources.
func ffmpeg(_ arguments: [String]) throws {
    try run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments)
}

/// ffprobe's JSON answer, read as a dictionary.
func ffprobe(_ path: String, _ arguments: [String]) throws -> [String: Any] {
    let text = try run("ffprobe", ["-v", "error", "-of", "json"] + arguments + [path])
    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}

/// Per-stream facts from ffprobe, with frames counted by decoding.
func ffprobeStreams(_ path: String) throws -> [[String: Any]] {
    try ffprobe(path, ["-count_frames", "-show_streams"])["streams"] as! [[String: Any]]
}

/// Presentation times (seconds) of every video frame, as ffprobe reads them. A frame without
/// one (the last frame of an MPEG program stream often has none) follows its predecessor by
/// one frame interval, as FilmSR's reader also assumes.
func ffprobeFrameTimes(_ path: String) throws -> [Double] {
    let frames = try ffprobe(path, ["-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time,pkt_duration_time", "-show_frames"])["frames"] as! [[String: Any]]
    var times: [Double] = []
    for frame in frames {
        if let text = frame["best_effort_timestamp_time"] as? String, let time = Double(text) {
            times.append(time)
        } else {
            let previous = try XCTUnwrap(times.last, "\(path): first frame has no timestamp")
            times.append(previous + (times.count > 1 ? previous - times[times.count - 2] : 0))
        }
    }
    return times
}

/// ffmpeg's own decode of every frame as packed RGB bytes (8 or 16 bits per component).
func ffmpegRGB(_ path: String, sixteenBit: Bool = false) throws -> Data {
    let raw = NSTemporaryDirectory() + "/ffmpeg-rgb-\(UUID().uuidString).raw"
    defer { try? FileManager.default.removeItem(atPath: raw) }
    // The same interpolation FilmSR asks swscale for, so values must agree closely.
    try ffmpeg(["-i", path, "-sws_flags", "bicubic+accurate_rnd+full_chroma_int+full_chroma_inp+bitexact",
                "-pix_fmt", sixteenBit ? "rgb48le" : "rgb24", "-f", "rawvideo", raw])
    return try Data(contentsOf: URL(fileURLWithPath: raw))
}

/// All frames of a file decoded by FilmSR.
func decodeAll(_ path: String) throws -> [DecodedFrame] {
    let reader = try VideoFrameReader(path: path)
    var frames: [DecodedFrame] = []
    while let frame = try reader.next() { frames.append(frame) }
    return frames
}

/// A fresh directory for one test's files.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "filmsr-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A committed sample clip.
func samplePath(_ name: String) -> String {
    Repository.sample(name)
}

func sha256(_ path: String) throws -> String {
    try run("sha256sum", [path]).split(separator: " ").first.map(String.init) ?? ""
}

/// A stream's duration in seconds from ffprobe: the stream's own field, or Matroska's DURATION tag.
func streamDuration(_ stream: [String: Any]) -> Double? {
    if let text = stream["duration"] as? String, let seconds = Double(text) { return seconds }
    guard let tag = (stream["tags"] as? [String: Any])?["DURATION"] as? String else { return nil }
    return tag.split(separator: ":").compactMap { Double($0) }.reduce(0) { $0 * 60 + $1 }
}

/// PSNR in dB of the luma (BT.601 weights of R, G, B; peak 1) of two pictures of one size.
func lumaPSNR(_ a: RGBImage, _ b: RGBImage) -> Double {
    precondition(a.width == b.width && a.height == b.height, "pictures of different sizes")
    let plane = a.planeSize
    var squared = 0.0
    for index in 0..<plane {
        func luma(_ image: RGBImage) -> Double {
            0.299 * Double(image.pixels[index]) + 0.587 * Double(image.pixels[plane + index]) + 0.114 * Double(image.pixels[2 * plane + index])
        }
        let difference = luma(a) - luma(b)
        squared += difference * difference
    }
    return squared == 0 ? .infinity : 10 * log10(Double(plane) / squared)
}

/// Mean over pairs of `lumaPSNR`.
func meanLumaPSNR(_ pairs: [(RGBImage, RGBImage)]) -> Double {
    pairs.map { lumaPSNR($0.0, $0.1) }.reduce(0, +) / Double(pairs.count)
}
