import Foundation
import XCTest
@testable import Pipeline
import TestSupport

/// Scene detection on the committed samples, against the truth the sample generator recorded
/// (samples/reel.json) and ffprobe's timestamps.
final class SceneDetectionTests: XCTestCase {

    private func sample(_ name: String) -> String { Repository.sample(name) }

    /// `cuts` of one clip in a truth file (reel.json, or tape.json for the tape clips): the first frame of every scene, 0 included.
    private func trueCuts(_ clip: String, in truthFile: String = "reel.json") throws -> [Int] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repository.sample(truthFile)))
        let truth = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap((truth[clip] as? [String: Any])?["cuts"] as? [Int], "\(truthFile) has no cuts for \(clip)")
    }

    private func tool(_ program: String, _ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run(program, arguments)
        XCTAssertEqual(result.status, 0, "\(program) failed: \(result.errorText)")
        return result.outputText
    }

    /// Largest score among frames that start no scene, smallest among those that do.
    private func scoreMargin(_ list: SceneList) -> (withinScenes: Double, atCuts: Double) {
        let cuts = Set(list.cuts.dropFirst())
        let within = list.frames.filter { !cuts.contains($0.frame) }.compactMap(\.score).max() ?? 0
        let atCuts = list.frames.filter { cuts.contains($0.frame) }.compactMap(\.score).min() ?? .infinity
        return (within, atCuts)
    }

    func testOldFilmReelCutsAreTheTrueCuts() throws {
        let list = try SceneDetector().detect(path: sample("reel_old.mp4"))
        XCTAssertEqual(list.cuts, try trueCuts("reel_old"))
        XCTAssertEqual(list.scenes.map(\.frameCount).reduce(0, +), list.frameCount)
        let margin = scoreMargin(list)
        print("reel_old: largest score within scenes \(margin.withinScenes), smallest at cuts \(margin.atCuts)")
        XCTAssertLessThan(margin.withinScenes, list.options.threshold)
    }

    /// The second ground-truth clip: other photographs, an analogue-video-transfer look (soft,
    /// sharpening halos, chroma bleed, noise, H.264 crf 28) instead of film damage.
    func testTapeTransferCutsAreTheTrueCuts() throws {
        let list = try SceneDetector().detect(path: sample("tape_old.mp4"))
        XCTAssertEqual(list.cuts, try trueCuts("tape_old", in: "tape.json"))
        XCTAssertEqual(list.scenes.map(\.frameCount).reduce(0, +), list.frameCount)
        let margin = scoreMargin(list)
        print("tape_old: largest score within scenes \(margin.withinScenes), smallest at cuts \(margin.atCuts)")
        XCTAssertLessThan(margin.withinScenes, list.options.threshold)
        XCTAssertEqual(try SceneDetector().detect(path: sample("tape_clean.mp4")).cuts, try trueCuts("tape_clean", in: "tape.json"))
    }

    func testCleanReelCutsAreTheTrueCuts() throws {
        XCTAssertEqual(try SceneDetector().detect(path: sample("reel_clean.mp4")).cuts, try trueCuts("reel_clean"))
    }

    func testInterlacedDVDCutsAreTheTrueCuts() throws {
        XCTAssertEqual(try SceneDetector().detect(path: sample("dvd_ntsc.mpg")).cuts, try trueCuts("dvd_ntsc"))
    }

    func testViolentFlickerIsNotACut() throws {
        let list = try SceneDetector().detect(path: sample("flicker_nocut.mp4"))
        XCTAssertEqual(list.cuts, try trueCuts("flicker_nocut"))
        XCTAssertEqual(list.scenes.count, 1)
        print("flicker_nocut: largest score \(scoreMargin(list).withinScenes)")
        // Plain ContentDetector scoring (no gain compensation) takes this flicker for cuts.
        var plain = SceneDetectionOptions()
        plain.compensatesFlicker = false
        XCTAssertGreaterThan(try SceneDetector(plain).detect(path: sample("flicker_nocut.mp4")).scenes.count, 1)
    }

    func testSceneTimesAreTheStreamsTimestamps() throws {
        for file in ["reel_old.mp4", "dvd_ntsc.mpg"] {
            let list = try SceneDetector().detect(path: sample(file))
            let frames = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(tool("ffprobe", [
                "-v", "error", "-of", "json", "-select_streams", "v:0", "-show_entries", "frame=best_effort_timestamp_time",
                "-show_frames", sample(file)]).utf8)) as? [String: Any])["frames"] as? [[String: Any]]
            let times = try XCTUnwrap(frames).map { ($0["best_effort_timestamp_time"] as? String).flatMap(Double.init) }
            XCTAssertEqual(times.count, list.frameCount, file)
            for scene in list.scenes {
                let time = try XCTUnwrap(times[scene.firstFrame], "\(file): ffprobe has no time for frame \(scene.firstFrame)")
                XCTAssertEqual(scene.startTime, time, accuracy: 1e-6, "\(file) scene \(scene.index)")
            }
            for (earlier, later) in zip(list.scenes, list.scenes.dropFirst()) {
                XCTAssertEqual(earlier.endTime, later.startTime, file)
            }
        }
    }

    /// A fade to black and in from it, between two shots of the old-film reel (grain, flicker,
    /// motion), made with the ffmpeg tool: one cut, inside the fade.
    func testFadeThroughBlackGivesOneCut() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clip = folder + "/fade.mp4"
        // Shot A: reel frames 0-19, fading out over its frames 8-17 (18 and 19 black). Shot B:
        // reel frames 72-101, fading in over its first 10 frames (clip frames 20-29).
        _ = try tool("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", sample("reel_old.mp4"), "-filter_complex",
                                "[0:v]split[x][y];" +
                                "[x]trim=start_frame=0:end_frame=20,setpts=PTS-STARTPTS,fade=t=out:start_frame=8:nb_frames=10[a];" +
                                "[y]trim=start_frame=72:end_frame=102,setpts=PTS-STARTPTS,fade=t=in:start_frame=0:nb_frames=10[b];" +
                                "[a][b]concat=n=2:v=1[v]",
                                "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", clip])
        let list = try SceneDetector().detect(path: clip)
        XCTAssertEqual(list.frameCount, 50)
        XCTAssertEqual(list.scenes.count, 2, "cuts \(list.cuts)")
        let cut = try XCTUnwrap(list.cuts.last)
        XCTAssertTrue((8...29).contains(cut), "cut at \(cut), outside the fade")
        XCTAssertTrue(list.frames[18...19].allSatisfy { $0.score == nil }, "black frames are not compared")
        print("fade: cut at \(cut), fade score \(list.frames[cut].score ?? 0)")
    }

    func testMinimumSceneLengthIsHonoured() throws {
        var options = SceneDetectionOptions()
        options.minimumSceneLength = 30
        let list = try SceneDetector(options).detect(path: sample("reel_old.mp4"))
        // The true cuts that leave every scene before them at least 30 frames long.
        var expected: [Int] = []
        for cut in try trueCuts("reel_old") where expected.last.map({ cut - $0 >= 30 }) ?? true { expected.append(cut) }
        XCTAssertEqual(list.cuts, expected)
        XCTAssertTrue(list.scenes.dropLast().allSatisfy { $0.frameCount >= 30 })
    }

    func testJSONAndCSVReadBack() throws {
        let list = try SceneDetector().detect(path: sample("reel_old.mp4"))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        try list.write(to: folder + "/scenes.json", as: .json)
        XCTAssertEqual(try SceneList.read(json: Data(contentsOf: URL(fileURLWithPath: folder + "/scenes.json")), file: "scenes.json"), list)

        try list.write(to: folder + "/scenes.csv", as: .csv)
        let lines = try String(contentsOfFile: folder + "/scenes.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init), SceneList.csvHeader)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(rows.count, list.scenes.count)
        for (row, scene) in zip(rows, list.scenes) {
            XCTAssertEqual(row.count, 6)
            XCTAssertEqual(Int(row[0]), scene.index)
            XCTAssertEqual(Int(row[1]), scene.firstFrame)
            XCTAssertEqual(Int(row[2]), scene.frameCount)
            XCTAssertEqual(try XCTUnwrap(Double(row[3])), scene.startTime, accuracy: 1e-6)
            XCTAssertEqual(try XCTUnwrap(Double(row[4])), scene.endTime, accuracy: 1e-6)
            XCTAssertEqual(row[5], SceneList.timecode(scene.startTime))
        }
        XCTAssertThrowsError(try list.write(to: sample("reel_old.mp4"), as: .csv), "never over the film")
    }

    func testTimecodesAndBadOptions() {
        XCTAssertEqual(SceneList.timecode(3723.0456), "1:02:03.046")
        XCTAssertEqual(SceneList.timecode(0.8333333), "0:00:00.833")
        XCTAssertThrowsError(try SceneDetector(SceneDetectionOptions(threshold: 0)).detect(path: sample("reel_old.mp4")))
        XCTAssertThrowsError(try SceneDetector(SceneDetectionOptions(minimumSceneLength: 0)).detect(path: sample("reel_old.mp4")))
        XCTAssertThrowsError(try SceneDetector().detect(path: sample("missing.mp4")))
    }
}
