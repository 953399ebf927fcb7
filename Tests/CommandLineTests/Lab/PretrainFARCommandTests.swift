import Foundation
import XCTest

/// `filmsr lab train far` run as a user would.
final class PretrainFARCommandTests: CommandLineTestCase {
    /// Two steps in two sessions (the second resumes), the result copied to --output.
    func testStoppedRunResumesAndWritesTheRegulariser() throws {
        let folder = try temporaryDirectory()
        let arguments = ["lab", "train", "far", "--work", folder + "/far", "--steps", "2", "--batch", "1", "--patch", "48",
                         "--validate-every", "1", "--threads", "1", "--output", folder + "/far.safetensors"]
        let first = try filmsrSucceeding(arguments + ["--stop-after", "1"])
        XCTAssertTrue(first.errors.contains("step 1: held-out alignment loss"), first.errors)
        XCTAssertTrue(first.errors.contains("stopped at step 1 of 2"), first.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/far.safetensors"))
        let second = try filmsrSucceeding(arguments)
        XCTAssertTrue(second.errors.contains("resuming at step 1 of 2"), second.errors)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/far.safetensors"))
        let validation = try String(contentsOfFile: folder + "/far/validation.tsv", encoding: .utf8)
        XCTAssertEqual(validation.split(separator: "\n").map { $0.prefix { $0 != "\t" } }, ["step", "0", "1", "2"])
    }

    func testBadArgumentsGiveOneLineErrors() throws {
        let folder = try temporaryDirectory()
        try assertOneLineErrors([
            (["lab", "train", "far", "--work", folder + "/w", "--patch", "16"], "--patch 16"),
            (["lab", "train", "far", "--work", folder + "/w", "--steps", "0"], "must be positive"),
            (["lab", "train", "far", "--work", folder + "/w", "--output", folder + "/nowhere/far.safetensors"], "does not exist"),
        ])
    }
}
