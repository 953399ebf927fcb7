import Foundation
import XCTest

/// Folders of films (issue 20): every film done on its own, failures named and the rest going on,
/// a summary, and a second run that redoes nothing done.
final class FolderBatchCommandTests: CommandLineTestCase {
    /// A one-second clip with sound cut from a sample, re-encoded so that it starts on a key frame.
    func clip(of sample: String, to path: String) throws {
        try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", self.sample(sample), "-t", "1", "-c:v", "libx264", "-c:a", "aac", path])
    }

    func testRestoringAFolderNamesTheDamagedFilmFinishesTheOthersAndRedoesNothingOnASecondRun() throws {
        let folder = try temporaryDirectory()
        let films = folder + "/films", restored = folder + "/restored"
        try FileManager.default.createDirectory(atPath: films + "/reel 2", withIntermediateDirectories: true)
        try clip(of: "reel_old.mp4", to: films + "/a.mp4")
        try clip(of: "tape_old.mp4", to: films + "/b.mov")
        // Damaged: the first half of a real clip's bytes and then garbage.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: films + "/a.mp4"))
        damaged.replaceSubrange(damaged.count / 3..<damaged.count, with: Data(repeating: 0x5A, count: damaged.count - damaged.count / 3))
        try damaged.write(to: URL(fileURLWithPath: films + "/broken.mp4"))
        try Data("not a film".utf8).write(to: URL(fileURLWithPath: films + "/notes.txt"))
        try clip(of: "tape_old.mp4", to: films + "/reel 2/c.mkv")  // not taken without --recursive (see the transcode test)
        let arguments = [
            "restore", films, restored, "--iterations", "2", "--batch", "1", "--patch", "32", "--frames-per-scene", "2",
            "--threads", "1"
        ]

        let first = try filmsr(arguments)
        XCTAssertEqual(first.status, 1, first.errors)
        let failures = first.errors.split(separator: "\n").filter { $0.contains("failed") }
        XCTAssertEqual(failures.count, 1, first.errors)
        XCTAssertTrue(failures[0].contains("broken.mp4"), first.errors)
        for name in ["a", "b"] {
            let streams = try ffprobeStreams(restored + "/\(name).mkv", [])
            XCTAssertEqual(streams.compactMap { $0["codec_type"] as? String }.sorted(), ["audio", "video"])
            XCTAssertEqual(streams.first { $0["codec_type"] as? String == "video" }?["width"] as? Int, 4 * 192)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: restored + "/broken.mkv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: restored + "/reel 2"))
        let rows = first.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows[0].hasPrefix("film") && rows[0].contains("scenes") && rows[0].hasSuffix("result"), first.output)
        XCTAssertTrue(rows.contains { $0.hasPrefix("a.mp4") && $0.hasSuffix("restored") }, first.output)
        XCTAssertTrue(rows.contains { $0.hasPrefix("broken.mp4") && $0.contains("failed: ") }, first.output)
        XCTAssertEqual(rows.last, "2 restored, 0 done before, 1 failed")
        let output = try Data(contentsOf: URL(fileURLWithPath: restored + "/a.mkv"))
        try assertCollectionIndex(restored, results: ["a.mp4": "restored", "b.mov": "restored", "broken.mp4": "failed: "])

        let started = Date()
        let second = try filmsr(arguments)
        XCTAssertEqual(second.status, 1, "the damaged film fails again")
        XCTAssertTrue(second.output.contains("0 restored, 2 done before, 1 failed"), second.output)
        XCTAssertFalse(second.errors.contains("scenes in"), "a finished film was started again: \(second.errors)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: restored + "/a.mkv")), output, "a finished film is left as it was")
        print("folder restore: the second run took \(Date().timeIntervalSince(started)) s")
        try assertCollectionIndex(restored, results: ["a.mp4": "restored by an earlier run", "b.mov": "restored by an earlier run",
                                                      "broken.mp4": "failed: "])
    }

    /// OUTFOLDER/index.html as Chromium shows it: a row per film in name order with its result,
    /// and for each restored film a thumbnail and a link to its report, both files that exist.
    func assertCollectionIndex(_ folder: String, results: [String: String], file: StaticString = #filePath, line: UInt = #line) throws {
        let dom = try HeadlessChromium(test: self).dom(folder + "/index.html")
        let rows = ReportBrowserTests.matches(#"<td>([^<]+)</td><td>((?:restored|failed)[^<]*)</td>"#, in: dom)
        XCTAssertEqual(rows, results.keys.sorted(), "one row per film", file: file, line: line)
        for (film, result) in results {
            XCTAssertTrue(dom.contains("<td>\(film)</td><td>\(result)"), "\(film): \(result)", file: file, line: line)
        }
        let links = ReportBrowserTests.matches(#"(?:href|src)="([^"]+)""#, in: dom)
        XCTAssertEqual(links.filter { $0.hasSuffix("/report.html") }.sorted(), ["a.mkv.work/report.html", "b.mkv.work/report.html"], file: file, line: line)
        XCTAssertEqual(links.filter { $0.hasSuffix(".png") }.count, 2, "a thumbnail for each restored film", file: file, line: line)
        for link in links {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + link), "index links a missing file: \(link)", file: file, line: line)
        }
    }

    func testTranscodingAFolderLeavesItsInputsAndRefusesAFileAsOutput() throws {
        let folder = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder + "/films/reel 2", withIntermediateDirectories: true)
        try clip(of: "tape_old.mp4", to: folder + "/films/b.mp4")
        try clip(of: "reel_old.mp4", to: folder + "/films/reel 2/c.mp4")
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/films/b.mp4"))
        let result = try filmsrSucceeding(["transcode", folder + "/films", folder + "/out", "--codec", "ffv1"])
        XCTAssertTrue(result.output.contains("1 transcoded, 0 done before, 0 failed"), result.output)
        let deep = try filmsrSucceeding(["transcode", folder + "/films", folder + "/out", "--codec", "ffv1", "--recursive"])
        XCTAssertTrue(deep.output.contains("1 transcoded, 1 done before, 0 failed"), deep.output)
        XCTAssertEqual(
            try ffprobeStreams(folder + "/out/reel 2/c.mkv", ["-count_frames", "-select_streams", "v:0"])[0]["nb_read_frames"] as? String,
            "24", "a subfolder's film keeps its subfolder")
        XCTAssertEqual(try ffprobeStreams(folder + "/out/b.mkv", ["-select_streams", "v:0"])[0]["codec_name"] as? String, "ffv1")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/films/b.mp4")), before)
        try Data().write(to: URL(fileURLWithPath: folder + "/file.mkv"))
        try assertOneLineErrors([
            (["transcode", folder + "/films", folder + "/file.mkv"], "is a file"),
            (["upscale", folder + "/out/empty-folder-that-is-not-there", folder + "/x"], "No such file")
        ])
    }
}
