import Foundation
import XCTest

/// `--preset NAME` (issue 20): a named set of restore options that the command line overrides.
final class PresetCommandTests: CommandLineTestCase {
    let quick = ["--iterations", "2", "--batch", "1", "--patch", "32", "--frames-per-scene", "2", "--threads", "1"]

    func testAPresetGivesItsOptionsAndAnOptionGivenWins() throws {
        let folder = try temporaryDirectory()
        let vhs = try filmsrSucceeding(["submit", sample("reel_old.mp4"), folder + "/vhs.mkv", "--estimate", "--preset", "vhs"] + quick)
        XCTAssertTrue(vhs.errors.contains("deflickered scene by scene over 9 frames"), vhs.errors)
        XCTAssertTrue(vhs.errors.contains("idet: "), "deinterlacing decided by measuring: \(vhs.errors)")
        let job = try String(contentsOfFile: folder + "/vhs.mkv.work/plan.json", encoding: .utf8)
        XCTAssertTrue(job.contains("\"outputScale\":2"), "x2: \(job.prefix(400))")

        let overridden = try filmsrSucceeding(
            [
                "submit", sample("reel_old.mp4"), folder + "/own.mkv", "--estimate", "--deflicker", "5",
                "--preset=vhs", "--scale", "4", "--x264-preset", "veryfast"
            ] + quick)
        XCTAssertTrue(overridden.errors.contains("deflickered scene by scene over 5 frames"), overridden.errors)
        let plan = try String(contentsOfFile: folder + "/own.mkv.work/plan.json", encoding: .utf8)
        XCTAssertTrue(plan.contains("\"outputScale\":4"))
        // The encoder's preset has a name of its own beside the named sets of options.
        XCTAssertTrue(plan.contains("\"preset\":\"veryfast\""), "x264 preset in: \(plan.prefix(600))")
    }

    func testUnknownPresetsAreRefusedAndTheHelpListsEveryPreset() throws {
        try assertOneLineErrors([
            (["restore", sample("reel_old.mp4"), "/tmp/x.mkv", "--preset", "betamax"], "--preset betamax: choose one of dvd, vhs, 16mm-scan"),
            (["restore", sample("reel_old.mp4"), "/tmp/x.mkv", "--preset"], "--preset needs a name")
        ])
        let help = try filmsrSucceeding(["restore", "--help"]).output.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        for listed in ["dvd (--deinterlace auto --scale 2", "vhs (--deinterlace auto --deflicker 9 --scale 2", "16mm-scan (--deinterlace off"] {
            XCTAssertTrue(help.contains(listed), "\(listed) in: \(help)")
        }
    }

    /// `filmsr presets` lists each preset on a line of its own with exactly the options it stands for.
    func testPresetsCommandListsEachPresetWithItsOptions() throws {
        let lines = try filmsrSucceeding(["presets"]).output.split(separator: "\n").filter { !$0.hasPrefix(" ") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertEqual(lines.map { $0[0] }, ["dvd", "vhs", "16mm-scan"])
        XCTAssertEqual(lines[0].dropFirst(), ["--deinterlace", "auto", "--scale", "2"])
        XCTAssertEqual(lines[1].dropFirst(), ["--deinterlace", "auto", "--deflicker", "9", "--scale", "2"])
        XCTAssertEqual(lines[2].dropFirst(), ["--deinterlace", "off", "--deflicker", "9", "--codec", "ffv1"])
    }
}
