import Foundation
import XCTest

/// `filmsr lab train recon`, `lab evaluate recon` and `restore` run as a user would.
final class RestoreCommandTests: RestoreTestCase {
    func testEvaluateReconPrintsEveryFamily() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let result = try filmsrSucceeding(["lab", "evaluate", "recon", branch, "--samples", "2", "--patch", "32"])
        for family in ["blur", "noise", "jpeg", "film", "codec", "secondOrder", "all"] {
            XCTAssertTrue(result.output.contains("\n" + family + " "), "no row for \(family): \(result.output)")
        }
        XCTAssertTrue(result.output.contains("R fed a blurred HR"), result.output)
        XCTAssertTrue(result.output.contains("nearest neighbour's family"), result.output)
    }

    /// A branch with the degradation bank, written in float16 for committing: half the float32
    /// result, and read back by evaluate recon.
    func testHalfPrecisionOutputOfABranchWithTheDegradationBank() throws {
        let folder = try temporaryDirectory()
        let half = folder + "/half.safetensors"
        try filmsrSucceeding(["lab", "train", "recon", "--work", folder + "/recon", "--steps", "1", "--batch", "1", "--patch", "32",
                                 "--degradation-bank", "--threads", "1", "--output", half, "--output-half"])
        let full = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: folder + "/recon/reconstruction.safetensors")[.size] as? Int)
        let halved = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: half)[.size] as? Int)
        XCTAssertEqual(Double(halved) / Double(full), 0.5, accuracy: 0.01)
        let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: half)).prefix(4096), as: UTF8.self)
        XCTAssertTrue(header.contains("\"F16\"") && !header.contains("\"F32\""), header)
        XCTAssertTrue(header.contains("degradationBank\\\":true"), header)
        let evaluation = try filmsrSucceeding(["lab", "evaluate", "recon", half, "--samples", "2", "--patch", "32"])
        XCTAssertTrue(evaluation.output.contains("\nall "), evaluation.output)
    }

    /// Every stage of a restore sees the deinterlaced pictures: restoring the interlaced sample
    /// with --deinterlace auto gives exactly the frames of restoring a deinterlaced lossless
    /// master of it, progressive; the work folder keeps the filters, and a resume with others is
    /// refused.
    func testRestoreAdaptsAndRendersTheDeinterlacedPictures() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let options = quick + ["--reconstruction", branch]
        let restored = try filmsrSucceeding(["restore", sample("interlaced.mkv"), folder + "/restored.mkv", "--deinterlace", "auto"] + options)
        XCTAssertTrue(restored.errors.contains("filters: idet: ") && restored.errors.contains("bwdif"), restored.errors)
        try filmsrSucceeding(["transcode", sample("interlaced.mkv"), folder + "/master.mkv", "--codec", "ffv1", "--deinterlace", "auto"])
        try filmsrSucceeding(["restore", folder + "/master.mkv", folder + "/from-master.mkv"] + options)
        XCTAssertEqual(try videoChecksums(folder + "/restored.mkv"), try videoChecksums(folder + "/from-master.mkv"))
        XCTAssertEqual(try ffprobeStreams(folder + "/restored.mkv", ["-select_streams", "v:0"])[0]["field_order"] as? String, "progressive")
        try assertOneLineErrors([
            (["restore", sample("interlaced.mkv"), folder + "/restored.mkv", "--deinterlace", "yadif"] + options, "work folder of another job"),
        ])
    }

    /// Restore with --ivtc gives the telecined sample back its 72 film frames at 24000/1001, and
    /// the sound, copied packet for packet, starts where it did against the picture (within 1 ms).
    func testRestoreInverseTelecinesInSyncWithTheSound() throws {
        let folder = try temporaryDirectory()
        let source = sample("telecine.mpg"), output = folder + "/film.mkv"
        let restored = try filmsrSucceeding(["restore", source, output, "--ivtc", "--acceptance", "off"] + quick)
        XCTAssertTrue(restored.errors.contains("inverse telecine"), restored.errors)
        let video = try ffprobeStreams(output, ["-select_streams", "v:0", "-count_frames"])[0]
        XCTAssertEqual(video["r_frame_rate"] as? String, "24000/1001")
        XCTAssertEqual(video["nb_read_frames"] as? String, "72")
        XCTAssertEqual(video["width"] as? Int, 352 * 4)
        func start(_ path: String, _ type: String) throws -> Double {
            let stream = try XCTUnwrap(try ffprobeStreams(path, []).first { $0["codec_type"] as? String == type }, "\(path): no \(type)")
            return Double(try XCTUnwrap(stream["start_time"] as? String))!
        }
        let offsetBefore = try start(source, "audio") - start(source, "video"), offsetAfter = try start(output, "audio") - start(output, "video")
        print(String(format: "restore --ivtc: audio starts %.3f ms after the video in the input, %.3f ms in the output", offsetBefore * 1000, offsetAfter * 1000))
        XCTAssertEqual(offsetAfter, offsetBefore, accuracy: 0.001)
    }

    /// `submit --estimate` plans the job (here deflickering scene by scene), times fine-tuning
    /// and rendering and prints the core-hours without submitting; `status` on that planned folder says work remains (exit 3),
    /// and once a task is marked failed for good it names it and exits 1.
    func testEstimateThenStatusOfAPlannedJob() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let work = folder + "/film.mkv.work"
        let estimate = try filmsrSucceeding(["submit", sample("reel_old.mp4"), folder + "/film.mkv", "--estimate", "--deflicker", "9"]
                                            + quick + ["--reconstruction", branch])
        XCTAssertTrue(estimate.errors.contains("filters: no filters; deflickered scene by scene over 9 frames"), estimate.errors)
        XCTAssertTrue(estimate.output.contains("adaptation: 5 units x "), estimate.output)
        XCTAssertTrue(estimate.output.contains("rendering:  120 frames x "), estimate.output)
        XCTAssertTrue(estimate.output.contains("core-hours"), estimate.output)
        // The reel: 120 frames and 5 scenes in 5 s, so 90 minutes hold 1080 times as many.
        XCTAssertTrue(estimate.output.contains("a 90-minute film of this size, frame rate and cut rate: 129600 frames, 5400 units, "), estimate.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/cluster/task.sh"), "nothing submitted")

        let waiting = try filmsr(["status", work])
        XCTAssertEqual(waiting.status, 3, waiting.output + waiting.errors)
        XCTAssertTrue(waiting.output.contains("adapt   0/5 done, 5 waiting"), waiting.output)
        FileManager.default.createFile(atPath: work + "/cluster/adapt-2.failed", contents: nil)
        let failed = try filmsr(["status", work])
        XCTAssertEqual(failed.status, 1, failed.output + failed.errors)
        XCTAssertTrue(failed.output.contains("FAILED: units 2"), failed.output)
    }

    /// One job, one writer: a second restore on a busy work folder is refused at once, naming the
    /// folder's lock and the process holding it; once that process is dead (killed, no clean-up),
    /// the next run takes the folder over and finishes the job.
    func testASecondRestoreOnABusyFolderIsRefusedAtOnce() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let arguments = ["restore", sample("reel_old.mp4"), folder + "/film.mkv"] + quick + ["--reconstruction", branch]
        let first = Process()
        first.executableURL = URL(fileURLWithPath: executable)
        first.arguments = arguments
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let lock = folder + "/film.mkv.work/locks/job.lock"
        let deadline = Date().addingTimeInterval(120)
        while (try? String(contentsOfFile: lock, encoding: .utf8))?.contains("process") != true && first.isRunning && Date() < deadline {
            usleep(20_000)
        }
        let started = Date()
        let second = try filmsr(arguments)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertTrue(first.isRunning, "the first run ended before the second was tried")
        XCTAssertNotEqual(second.status, 0)
        XCTAssertEqual(second.errors.split(separator: "\n").count, 1, second.errors)
        XCTAssertTrue(second.errors.contains("work folder \(folder)/film.mkv.work is busy: held by process \(first.processIdentifier) on "), second.errors)
        // At once, not after waiting for the first run (minutes): a bound far from both, since
        // a loaded machine must not fail the test on wall-clock time.
        XCTAssertLessThan(seconds, 10, "refused at once (took \(seconds) s)")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try filmsrSucceeding(arguments)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/film.mkv"))
    }

    /// Killed in the middle of adaptation, run again and killed in the middle of rendering, then
    /// run a third time, a job skips what it finished each time and produces exactly the frames
    /// of an uninterrupted run, with the sound.
    func testKilledRestoreResumesToTheSameOutput() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let arguments = ["restore", sample("reel_old.mp4")] + quick + ["--dump", "30", "100", "--reconstruction", branch]
        try filmsrSucceeding(arguments + [folder + "/whole.mkv"])

        let interrupted = folder + "/interrupted.mkv", work = interrupted + ".work"
        _ = try runKilled(arguments + [interrupted], when: work + "/adapted/unit-001.safetensors")
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted), "no output before the job is complete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/adapted/unit-004.safetensors"), "killed too late to test resuming")

        let second = try runKilled(arguments + [interrupted], when: work + "/render/segment-00001.fsrseg")
        XCTAssertFalse(second.contains("unit 1/5"), "a finished unit was adapted again: \(second)")
        XCTAssertTrue(second.contains("unit 5/5"), second)
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted), "no output before the job is complete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/render/segment-00004.fsrseg"), "killed too late to test resuming")

        let resumed = try filmsrSucceeding(arguments + [interrupted])
        XCTAssertFalse(resumed.errors.contains("adapted in"), "a finished unit was adapted again: \(resumed.errors)")
        XCTAssertTrue(resumed.errors.contains("segments done by an earlier run"), resumed.errors)
        // One rule for every command: the result on standard output, messages on standard error,
        // and no progress line (escape codes) when standard error is not a terminal.
        XCTAssertEqual(resumed.output, interrupted + "\n")
        XCTAssertFalse(resumed.errors.contains("\u{1B}["), resumed.errors)
        XCTAssertEqual(try videoChecksums(interrupted), try videoChecksums(folder + "/whole.mkv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/render"), "segments left behind once the film is complete")
        for frame in [30, 100] {
            for picture in ["lr", "baseline", "adapted", "weightmap", "side-by-side"] {
                let name = String(format: "/dump/frame_%06d.", frame) + picture + ".png"
                XCTAssertEqual(FileManager.default.contents(atPath: work + name),
                               FileManager.default.contents(atPath: folder + "/whole.mkv.work" + name), "resumed job's \(name) differs")
            }
        }
        let streams = try ffprobeStreams(interrupted, [])
        XCTAssertEqual(streams.map { $0["codec_type"] as! String }, ["video", "audio"])
        XCTAssertEqual(streams[0]["width"] as? Int, 768)
    }

    /// `--dump` writes five pictures per chosen frame at the right sizes; the adapted one is
    /// exactly the rendered frame (FFV1 stores RGB, so 8 bits compare exactly), the baseline is
    /// not; report.html names every scene and links only files that exist.
    func testDumpWritesThePicturesOfChosenFramesAndTheReportLinksThem() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let output = folder + "/restored.mkv", work = output + ".work"
        // No held-out frames and no acceptance gate: the stop rule or the gate could keep the
        // pretrained weights, and this test needs adapted ones that differ from the baseline.
        try filmsrSucceeding(["restore", sample("reel_old.mp4"), output, "--reconstruction", branch] + quick
                                + ["--held-out", "0", "--acceptance", "off", "--dump", "0", "30", "1.5s"])
        // 1.5 s into the 24 fps reel is frame 36.
        // The side-by-side's pictures stand under a label strip of 22 rows (the 7-row font at twice its size, 2 rows of margin each side).
        let sizes = ["lr": (192, 144), "baseline": (768, 576), "adapted": (768, 576), "weightmap": (768, 576), "side-by-side": (3 * 768, 576 + 22)]
        for frame in [0, 30, 36] {
            let stem = work + String(format: "/dump/frame_%06d.", frame)
            for (picture, size) in sizes {
                let stream = try ffprobeStreams(stem + picture + ".png", [])[0]
                // The side-by-side picture may add thin separators.
                let width = stream["width"] as? Int ?? 0
                XCTAssertTrue(width == size.0 || (picture == "side-by-side" && width > size.0 && width <= size.0 + 16), "\(stem + picture): width \(width)")
                XCTAssertEqual(stream["height"] as? Int, size.1, stem + picture)
            }
            let adapted = try rgbBytes(stem + "adapted.png")
            XCTAssertEqual(adapted, try rgbBytes(output, frame: frame), "frame \(frame): the adapted picture is not the rendered frame")
            XCTAssertNotEqual(adapted, try rgbBytes(stem + "baseline.png"), "frame \(frame): baseline equals adapted")
        }
        for unit in 0..<5 {
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + String(format: "/adapted/unit-%03d.json", unit)))) as! [String: Any]
            XCTAssertEqual(summary["iterations"] as? Int, 2)
            XCTAssertEqual(summary["scenes"] as? [Int], [unit])
        }

        let html = try String(contentsOfFile: work + "/report.html", encoding: .utf8)
        for scene in 1...5 { XCTAssertTrue(html.contains("<tr id=\"scene-\(scene)\" class=\"adapted\"><td>\(scene)</td>"), "no row for scene \(scene)") }
        // Files linked (in-page links to the scene rows aside).
        let expression = try NSRegularExpression(pattern: #"(?:href|src)="([^#"][^"]*)""#)
        let links = expression.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
        XCTAssertEqual(links.filter { $0.hasSuffix(".side-by-side.png") }.count, 3, "each dumped frame's side-by-side linked")
        XCTAssertEqual(Set(links.filter { $0.hasSuffix(".adapted.png") }).count, 3, "each dumped frame in the viewer")
        for link in links { XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/" + link), "report links a missing file: \(link)") }
    }

    /// The ablation on 12 frames of the reel and of its clean reference: one row per variant with
    /// every metric, the baseline first, and the cost of each.
    func testAblationBenchmarkMeasuresEveryVariant() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        for (name, source) in [("old", "reel_old.mp4"), ("clean", "reel_clean.mp4")] {
            try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", sample(source), "-frames:v", "12", "-an", "-c:v", "ffv1", folder + "/\(name).mkv"])
        }
        let result = try filmsrSucceeding(["lab", "bench", "ablation", folder + "/old.mkv", folder + "/clean.mkv", "--work", folder + "/bench", "--json",
                                 "--reconstruction", branch, "--variants", "lway,neighbour"] + quick.filter { $0 != "--codec" && $0 != "ffv1" })
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        let variants = report["variants"] as! [[String: Any]]
        XCTAssertEqual(variants.map { $0["name"] as! String }, ["baseline", "lway", "neighbour"])
        func number(_ dictionary: [String: Any], _ key: String) -> Double { (dictionary[key] as! NSNumber).doubleValue }
        for variant in variants {
            let mean = variant["meanOverScenes"] as! [String: Any]
            XCTAssertEqual(number(mean, "frames"), 12)
            XCTAssertTrue((15...60).contains(number(mean, "psnr")), "\(variant)")
            XCTAssertTrue((0...1).contains(number(mean, "ssim")) && (0...1).contains(number(mean, "lpips")), "\(variant)")
            XCTAssertTrue((1...30).contains(number(mean, "niqe")), "\(variant)")
        }
        XCTAssertEqual(number(variants[0], "adaptationSeconds"), 0)
        XCTAssertGreaterThan(number(variants[1], "adaptationSeconds"), 0)
        // Every adapted unit's decision and its reason are in the benchmark's output.
        XCTAssertEqual(variants[0]["decisions"] as? [String], [])
        for variant in variants.dropFirst() {
            let decisions = try XCTUnwrap(variant["decisions"] as? [String])
            XCTAssertEqual(decisions.count, (variant["units"] as! NSNumber).intValue)
            for decision in decisions { XCTAssertTrue(decision.hasPrefix("unit ") && (decision.contains("iteration") || decision.contains("pretrained")), decision) }
        }
        let usage = try filmsr(["lab", "bench", "ablation", "--variants", "lway,magic"])
        XCTAssertNotEqual(usage.status, 0)
        XCTAssertTrue(usage.errors.contains("magic is not one of lway, neighbour, controller, far, both"), usage.errors)
    }

    func testOneFrameClipIsRestoredAtTheChosenScale() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let clip = folder + "/one.mkv"
        try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=24", "-frames:v", "1", clip])
        try filmsrSucceeding(["restore", clip, folder + "/one-x2.mkv", "--scale", "2", "--reconstruction", branch] + quick)
        let streams = try ffprobeStreams(folder + "/one-x2.mkv", ["-count_frames"])
        XCTAssertEqual(streams[0]["width"] as? Int, 192)
        XCTAssertEqual(streams[0]["nb_read_frames"] as? String, "1")
    }

    func testBadInputsAndOptionsGiveOneLineErrors() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let lpipsWeights = URL(fileURLWithPath: sample("")).deletingLastPathComponent().appendingPathComponent("assets/lpips/alexnet.safetensors").path
        let audioOnly = folder + "/sound.m4a"
        XCTAssertEqual(try execute("/usr/bin/ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=duration=1", audioOnly]).status, 0)
        let reel = sample("reel_old.mp4")
        let cases: [([String], String)] = [
            (["restore", reel, folder + "/a.mkv", "--reconstruction", folder + "/missing.safetensors"], "missing.safetensors: no such reconstruction-branch checkpoint"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", lpipsWeights], "alexnet.safetensors: not a reconstruction-branch checkpoint"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", branch, "--scale", "3"], "output scale 3 is impossible with compact-x4"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", branch, "--model", "compact-x2"], "model compact-x2 upscales x2 but the reconstruction branch was trained for x4"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", branch, "--patch", "16"], "too small"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", branch, "--tune", "last:2"], "--tune last:2"),
            (["restore", reel, folder + "/a.mkv", "--reconstruction", branch, "--granularity", "film"], "film"),
            (["restore", audioOnly, folder + "/a.mkv", "--reconstruction", branch], "sound.m4a"),
            (["restore", reel, reel, "--reconstruction", branch], "output is the input file"),
            (["restore", reel, folder + "/d.mkv", "--reconstruction", branch, "--dump", "5000"], "reel_old.mp4: --dump: no frame 5000: it has 120 frames"),
            (["restore", reel, folder + "/d.mkv", "--reconstruction", branch, "--dump", "9.5s"], "--dump: no time 9.5s"),
            (["lab", "train", "recon", "--work", folder + "/w", "--mapping", "lanczos"], "--mapping: 'lanczos' is not pixel-unshuffle or bicubic"),
            (["lab", "train", "recon", "--work", folder + "/w", "--patch", "16"], "--patch 16"),
            (["lab", "train", "recon", "--work", folder + "/w", "--output-half"], "--output-half needs --output"),
            (["lab", "train", "recon", "--work", folder + "/w", "--output", folder + "/nowhere/b.safetensors"], "does not exist"),
            (["lab", "train", "recon", "--work", folder + "/recon", "--steps", "1", "--learning-rate", "0.1"], "holds a run with other options"),
            (["lab", "evaluate", "recon", lpipsWeights], "not a reconstruction-branch checkpoint"),
            (["status", folder], "\(folder): not a planned restore work folder (no plan.json)"),
            (["worker", folder, "adapt", "0"], "\(folder): not a planned restore work folder (no plan.json)"),
        ]
        try assertOneLineErrors(cases)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/a.mkv"))
    }
}
