import Foundation
import XCTest

/// A film with a damaged stretch in the middle (bytes overwritten, as a bad sector or a botched
/// copy leaves them, not cut short) is restored whole, and the damage is named by frame range.
final class RestoreDamagedInputTests: RestoreTestCase {
    func testAFilmWithOverwrittenBytesIsRestoredAndTheDamagedFramesAreNamed() throws {
        let folder = try temporaryDirectory()
        let clip = try smallReel(in: folder)
        // The video packets of frames 30-33 (decoding order), the sound interleaved with them
        // included, overwritten in place: the file keeps its size and its index.
        // ffprobe writes each packet's presentation time, size and position, in that order.
        let packets = try executeSucceeding("/usr/bin/ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,size,pos",
                                                                 "-of", "csv=p=0", clip]).output
            .split(separator: "\n").map { $0.split(separator: ",").compactMap { Double($0) } }
        XCTAssertEqual(packets.count, 72)
        let start = Int(packets[30][2]), end = Int(packets[33][2] + packets[33][1])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        bytes.replaceSubrange(start..<end, with: Data(repeating: 0x5A, count: end - start))
        let damaged = folder + "/damaged.mp4"
        try bytes.write(to: URL(fileURLWithPath: damaged))
        // Frames 30-33 in decoding order are shown at these presentation times.
        let damagedTimes = (30...33).map { packets[$0][0] }

        let output = folder + "/restored.mkv"
        let restored = try filmsrSucceeding(["restore", damaged, output] + quickJob)
        XCTAssertEqual(restored.output, output + "\n")
        let lines = restored.errors.split(separator: "\n").filter { $0.contains("damaged:") }
        XCTAssertEqual(lines.count, 1, restored.errors)
        let line = String(lines.first ?? "")
        XCTAssertTrue(line.hasPrefix("\(damaged): damaged: frames ") && line.hasSuffix("; restored as decoded: check those frames"), line)

        // The named stretches are where the bytes were overwritten: they begin with the frame
        // shown in place of the first lost picture (at most one frame interval before it), span
        // the lost pictures, and end before the key frame at the next cut (frame 48, 2.0 s): the
        // damage is named to the frame, and frames far from it are not.
        let spans = try NSRegularExpression(pattern: #"\(([\d.]+)-([\d.]+) s\)"#)
            .matches(in: line, range: NSRange(line.startIndex..., in: line))
            .map { match in (1...2).map { Double(line[Range(match.range(at: $0), in: line)!])! } }
        XCTAssertFalse(spans.isEmpty, line)
        let first = spans.map { $0[0] }.min() ?? 0, last = spans.map { $0[1] }.max() ?? 0
        XCTAssertLessThanOrEqual(first, damagedTimes.min()! + 0.001, line)
        XCTAssertGreaterThanOrEqual(first, damagedTimes.min()! - 1.0 / 24 - 0.001, line)
        XCTAssertGreaterThanOrEqual(last, damagedTimes.max()! + 1.0 / 24 - 0.001, line)
        XCTAssertLessThanOrEqual(last, 2.0 + 0.001, line)

        // Every picture that decodes is restored, and the film keeps its length and its sound.
        let decodable = try executeSucceeding("/usr/bin/ffmpeg", ["-v", "quiet", "-i", damaged, "-map", "0:v", "-f", "framemd5", "-"])
            .output.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        XCTAssertEqual(try videoChecksums(output).count, decodable)
        XCTAssertGreaterThan(decodable, 60)
        let duration = { (path: String) in try self.ffprobeJSON(path, ["-show_format"])["format"].flatMap { ($0 as? [String: Any])?["duration"] as? String }.flatMap(Double.init) ?? 0 }
        XCTAssertEqual(try duration(output), try duration(clip), accuracy: 0.05)
        XCTAssertEqual(try audioPacketChecksums(output).count, try audioPacketChecksums(damaged).count)

        // Transcode and upscale read the film the same way, and say the same (without times).
        let transcoded = try filmsrSucceeding(["transcode", damaged, folder + "/transcoded.mkv", "--codec", "ffv1"])
        XCTAssertTrue(transcoded.errors.contains("\(damaged): damaged: frames "), transcoded.errors)
        XCTAssertEqual(try videoChecksums(folder + "/transcoded.mkv").count, decodable)
    }
}
