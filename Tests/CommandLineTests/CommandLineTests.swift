import Foundation
import XCTest

final class CommandLineTests: CommandLineTestCase {
    /// A restorer's commands come first and the lab's tools sit under `lab`, so that the top
    /// level stays at ten; each lab tool answers under its group.
    func testHelpListsTheRestorersCommandsFirstAndTheLabNested() throws {
        let help = try filmsrSucceeding(["--help"]).output
        let commands = help.components(separatedBy: "SUBCOMMANDS:")[1].split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }.map { String($0.split(separator: " ")[0]) }.filter { $0 != "See" }
        XCTAssertEqual(commands, ["restore", "submit", "status", "upscale", "transcode", "scenes", "probe", "frames", "presets", "lab"])
        for (group, tools) in [("train", ["recon", "far"]), ("bench", ["engine", "restore", "ablation", "curve", "gate"]), ("evaluate", ["recon"]), ("", ["info"])] {
            let listed = try filmsrSucceeding(["lab"] + (group.isEmpty ? [] : [group]) + ["--help"]).output
            for tool in tools { XCTAssertTrue(listed.contains("\n  \(tool) "), "\(group) lists \(tool): \(listed)") }
        }
        XCTAssertNotEqual(try filmsr(["bench-gate", "--tuning", "reel"]).status, 0, "the old flat names are gone")
    }

    func testProbePrintsTheFactsAndCountsFrames() throws {
        let result = try filmsrSucceeding(["probe", sample("dvd_ntsc.mpg")])
        let streams = try ffprobeStreams(sample("dvd_ntsc.mpg"), ["-count_frames", "-select_streams", "v:0"])
        let frames = streams[0]["nb_read_frames"] as! String
        XCTAssertTrue(result.output.contains("frames:     \(frames) counted (container header: not stated)"), result.output)
        XCTAssertTrue(result.output.contains("720x480 yuv420p 8-bit, SAR 8:9, DAR 4:3"), result.output)
        XCTAssertTrue(result.output.contains("interlaced, top field first"), result.output)
        XCTAssertTrue(result.output.contains(" audio ac3 48000 Hz 2 ch"), result.output)

        let json = try filmsrSucceeding(["probe", "--json", sample("reel_old.mp4")])
        let info = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
        let video = info["video"] as! [String: Any]
        XCTAssertEqual(video["width"] as? Int, 192)
        XCTAssertEqual(video["height"] as? Int, 144)
    }

    func testTranscodeRoundTripsTheOldFilmReel() throws {
        let directory = try temporaryDirectory()
        let output = directory + "/master.mkv"
        let result = try filmsrSucceeding(["transcode", sample("reel_old.mp4"), output, "--codec", "ffv1"])
        XCTAssertEqual(result.errors, "", "progress is for terminals only")
        let before = try ffprobeStreams(sample("reel_old.mp4"), ["-count_frames"])
        let after = try ffprobeStreams(output, ["-count_frames"])
        func of(_ streams: [[String: Any]], _ type: String) -> [String: Any] { streams.first { $0["codec_type"] as? String == type }! }
        XCTAssertEqual(of(after, "video")["nb_read_frames"] as? String, of(before, "video")["nb_read_frames"] as? String)
        XCTAssertEqual(of(after, "video")["codec_name"] as? String, "ffv1")
        // Matroska keeps the AAC priming packet that MP4's edit list hides: one AAC frame more.
        let audioFrames = { (stream: [String: Any]) in Int(stream["nb_read_frames"] as! String)! }
        XCTAssertEqual(audioFrames(of(after, "audio")), audioFrames(of(before, "audio")), accuracy: 1)
    }

    /// The archival filters from the command line: `--deinterlace auto` measures the interlaced
    /// sample, says it deinterlaces with bwdif and writes progressive pictures; `--ivtc` gives the
    /// telecined sample back its 72 film frames at 24000/1001.
    func testTranscodeDeinterlacesAndInverseTelecinesWhenAsked() throws {
        let folder = try temporaryDirectory()
        let deinterlaced = try filmsrSucceeding(["transcode", sample("interlaced.mkv"), folder + "/progressive.mkv", "--deinterlace", "auto"])
        XCTAssertTrue(deinterlaced.errors.contains("filters: idet: ") && deinterlaced.errors.contains("bwdif, top field first"), deinterlaced.errors)
        XCTAssertEqual(try ffprobeStreams(folder + "/progressive.mkv", ["-select_streams", "v:0"])[0]["field_order"] as? String, "progressive")
        let film = try filmsrSucceeding(["transcode", sample("telecine.mpg"), folder + "/film.mkv", "--ivtc"])
        XCTAssertTrue(film.errors.contains("inverse telecine"), film.errors)
        let video = try ffprobeStreams(folder + "/film.mkv", ["-count_frames", "-select_streams", "v:0"])[0]
        XCTAssertEqual(video["nb_read_frames"] as? String, "72")
        XCTAssertEqual(video["r_frame_rate"] as? String, "24000/1001")
        try assertOneLineErrors([
            (["transcode", sample("interlaced.mkv"), folder + "/x.mkv", "--deinterlace", "blend"], "--deinterlace blend: choose auto, off, bwdif, yadif"),
            (["transcode", sample("interlaced_truth.mkv"), folder + "/x.mkv", "--ivtc"], "--ivtc: idet measures progressive pictures with no pulldown"),
            (["transcode", sample("interlaced.mkv"), folder + "/x.mkv", "--deinterlace", "off", "--field-rate", "field"],
             "one picture per field needs a deinterlacer, but deinterlacing is off"),
        ])
    }

    func testFramesWritesPNGsOfTheRightSize() throws {
        let directory = try temporaryDirectory()
        let result = try filmsrSucceeding(["frames", sample("reel_old.mp4"), "--at", "0", "1.5s", "--out", directory])
        let files = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(files.count, 2)
        for file in files {
            let stream = try ffprobeStreams(file, [])[0]
            XCTAssertEqual(stream["width"] as? Int, 192)
            XCTAssertEqual(stream["height"] as? Int, 144)
        }
    }

    func testUpscaleAnImageAndAVideo() throws {
        let directory = try temporaryDirectory()
        let image = directory + "/still_x4.png"
        try filmsrSucceeding(["upscale", sample("still.png"), image])
        let picture = try ffprobeStreams(image, [])[0]
        XCTAssertEqual(picture["width"] as? Int, 512)
        XCTAssertEqual(picture["height"] as? Int, 512)

        // A few frames of the reel with their sound, doubled.
        let clip = directory + "/clip.mp4"
        try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", sample("reel_old.mp4"), "-t", "0.4", "-c", "copy", clip])
        let video = directory + "/clip_x2.mkv"
        try filmsrSucceeding(["upscale", clip, video, "--model", "compact-x2", "--tile", "64", "--threads", "1"])
        let streams = try ffprobeStreams(video, ["-count_frames"])
        let videoStream = streams.first { $0["codec_type"] as? String == "video" }!
        XCTAssertEqual(videoStream["width"] as? Int, 384)
        XCTAssertEqual(videoStream["height"] as? Int, 288)
        let clipStreams = try ffprobeStreams(clip, ["-count_frames", "-select_streams", "v:0"])
        XCTAssertEqual(videoStream["nb_read_frames"] as? String, clipStreams[0]["nb_read_frames"] as? String)
        XCTAssertNotNil(streams.first { $0["codec_type"] as? String == "audio" })
    }

    func testBadInputsGiveOneLineErrorsAndAFailureStatus() throws {
        let directory = try temporaryDirectory()
        let notMedia = directory + "/letter.mkv"
        try "Dear archivist,\n".write(toFile: notMedia, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["probe", directory + "/missing.mp4"], "missing.mp4: cannot open: No such file or directory"),
            (["probe", notMedia], "letter.mkv: not a media file FFmpeg can read"),
            (["transcode", sample("reel_old.mp4"), sample("reel_old.mp4")], "output is the input file"),
            (["transcode", sample("reel_old.mp4"), directory + "/nowhere/out.mkv"], "does not exist"),
            (["frames", sample("still.png"), "--at", "3", "--out", directory], "no frame 3"),
            (["transcode", sample("reel_old.mp4"), directory + "/x.mkv", "--encoder-option", "novalue"], "is not key=value"),
            (["upscale", sample("still.png"), directory + "/x.png", "--model", "x8"], "unknown model 'x8'"),
            (["upscale", sample("still.png"), directory + "/x.png", "--models", directory], "is not installed; run scripts/setup.sh"),
        ]
        try assertOneLineErrors(cases)
    }

    func testGetsTheFastOpenBLASKernelWithoutBeingAsked() throws {
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set((cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " "))
        // The AVX-512 kernel where it runs, else the AVX2 one.
        let avx512 = ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy { flags.contains($0) }
        try XCTSkipUnless(avx512 || (flags.contains("avx2") && flags.contains("fma")), "this CPU has no AVX2 kernel to choose")
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        let result = try filmsrSucceeding(["lab", "info"], environment: environment)
        XCTAssertTrue(result.output.contains("openblas kernel:  \(avx512 ? "SkylakeX" : "Haswell")"), result.output)
    }

    /// OpenBLAS's threads sleep soon after a product instead of spinning for 0.1 s on a core the
    /// engine's own threads need next; a value the user set is kept.
    func testShortensOpenBLASsSpinUnlessTheUserSetIt() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_THREAD_TIMEOUT"] = nil
        XCTAssertTrue(try filmsrSucceeding(["lab", "info"], environment: environment).output.contains("openblas spin:    2^18 cycles"))
        environment["OPENBLAS_THREAD_TIMEOUT"] = "22"
        XCTAssertTrue(try filmsrSucceeding(["lab", "info"], environment: environment).output.contains("openblas spin:    2^22 cycles"))
    }
}

extension CommandLineTests {
    private func reelCuts() throws -> [Int] {
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sample("reel.json")))) as! [String: Any]
        return (truth["reel_old"] as! [String: Any])["cuts"] as! [Int]
    }

    func testScenesPrintsTheReelsCuts() throws {
        let result = try filmsrSucceeding(["scenes", sample("reel_old.mp4")])
        XCTAssertEqual(result.errors, "", "progress is for terminals only")
        // Table rows: scene, first frame, frame count, start seconds, start h:mm:ss.mmm.
        let rows = result.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 5 && Int($0[0]) != nil }
        XCTAssertEqual(rows.compactMap { Int($0[1]) }, try reelCuts(), result.output)
        let second = try XCTUnwrap(rows.dropFirst().first)
        XCTAssertEqual(second[3], String(format: "%.3f", Double(second[1])! / 24))
        XCTAssertTrue(second[4].hasPrefix("0:00:0"), result.output)
    }

    func testScenesWritesJSONThatParses() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/scenes.json"
        try filmsrSucceeding(["scenes", sample("reel_old.mp4"), "--json", "--output", output])
        let list = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as! [String: Any]
        let scenes = list["scenes"] as! [[String: Any]]
        XCTAssertEqual(scenes.map { $0["firstFrame"] as! Int }, try reelCuts())
        XCTAssertEqual((list["frames"] as! [Any]).count, list["frameCount"] as? Int)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["scenes.json"], "no temporary file left")
    }

    func testScenesBadInputsGiveOneLineErrors() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notMedia = directory + "/letter.mkv"
        try "Dear archivist,\n".write(toFile: notMedia, atomically: true, encoding: .utf8)
        let reel = sample("reel_old.mp4")
        let cases: [([String], String)] = [
            (["scenes", directory + "/missing.mp4"], "missing.mp4: cannot open"),
            (["scenes", notMedia], "letter.mkv: not a media file"),
            (["scenes", reel, "--threshold", "0"], "--threshold"),
            (["scenes", reel, "--threshold=-3"], "--threshold"),
            (["scenes", reel, "--min-scene-length", "0"], "--min-scene-length"),
            (["scenes", reel, "--json", "--output", reel], "output is the input file"),
            (["scenes", reel, "--output", directory + "/nowhere/scenes.txt"], "does not exist"),
        ]
        for (arguments, message) in cases {
            let result = try filmsr(arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            XCTAssertEqual(result.errors.split(separator: "\n").count, 1, "expected one line, got: \(result.errors)")
            XCTAssertTrue(result.errors.contains(message), "expected '\(message)' in: \(result.errors)")
        }
    }
}
