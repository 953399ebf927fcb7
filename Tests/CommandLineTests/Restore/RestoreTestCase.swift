import Foundation
import XCTest

/// What the tests of `restore` share: quick settings, a small branch, checksums of what a film
/// holds, and a run killed when a condition holds.
class RestoreTestCase: CommandLineTestCase {
    /// Settings small enough for tests: the job's mechanics, not its quality.
    let quick = ["--iterations", "2", "--batch", "1", "--patch", "32", "--frames-per-scene", "2", "--codec", "ffv1", "--threads", "1"]

    /// `quick` without the acceptance gate and held-out frames, whose measurements would triple
    /// the adaptation time and write nothing more: for tests of the job's faults and resumes.
    var quickJob: [String] { quick + ["--acceptance", "off", "--held-out", "0"] }

    /// Three scenes of the reel (72 frames) at 64x48 with its sound: every stage of a restore,
    /// several units and segments, in seconds.
    func smallReel(in folder: String) throws -> String {
        let clip = folder + "/small-reel.mp4"
        try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", sample("reel_old.mp4"), "-frames:v", "72", "-t", "3", "-vf", "scale=64:48",
                                                  "-c:v", "libx264", "-crf", "18", "-c:a", "copy", clip])
        return clip
    }

    /// A reconstruction branch from a one-step `lab train recon` (checkpoint, resume and output
    /// written by the command itself).
    func makeBranch(in folder: String) throws -> String {
        let branch = folder + "/branch.safetensors"
        let result = try filmsrSucceeding(["lab", "train", "recon", "--work", folder + "/recon", "--steps", "1", "--batch", "1", "--patch", "32",
                                 "--validate-every", "1", "--threads", "1", "--output", branch])
        XCTAssertTrue(result.errors.contains("step 1: held-out PSNR of R(HR, E(LR))"), result.errors)
        XCTAssertEqual(result.output, branch + "\n", "standard output carries the result only")
        XCTAssertTrue(FileManager.default.fileExists(atPath: branch))
        return branch
    }

    func videoChecksums(_ path: String) throws -> [String] {
        let result = try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"])
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    }

    /// The sound's packets as stored (timestamps, sizes, MD5 of each), not decoded.
    func audioPacketChecksums(_ path: String) throws -> [String] {
        let result = try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-map", "0:a", "-c", "copy", "-f", "framemd5", "-"])
        return result.output.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    }

    /// Runs filmsr until `marker` appears, then kills it; returns what it printed.
    func runKilled(_ arguments: [String], when marker: String) throws -> String {
        try runKilled(arguments) { _ in FileManager.default.fileExists(atPath: marker) }.errors
    }

    /// Runs filmsr and kills it with SIGKILL as soon as `condition` (given the seconds since it
    /// started, asked every 2 ms) holds. `killed` is false when it ended by itself first;
    /// `process`: its process id.
    func runKilled(_ arguments: [String], until condition: (Double) -> Bool) throws -> (errors: String, killed: Bool, status: Int32, process: Int32) {
        let log = try temporaryDirectory() + "/stderr.txt"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        let started = Date()
        try process.run()
        let deadline = started.addingTimeInterval(300)
        while process.isRunning && !condition(Date().timeIntervalSince(started)) && Date() < deadline { usleep(2_000) }
        let killed = process.isRunning && kill(process.processIdentifier, SIGKILL) == 0
        process.waitUntilExit()
        let errors = try String(contentsOfFile: log, encoding: .utf8)
        return (errors, killed && process.terminationReason == .uncaughtSignal, process.terminationStatus, process.processIdentifier)
    }
}
