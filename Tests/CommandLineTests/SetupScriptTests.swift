import Foundation
import XCTest

/// The set-up scripts fail loudly: an asset that cannot be had stops set-up with one line naming
/// it, instead of being skipped while set-up succeeds (issue 13: every training photo was
/// skipped on a fresh machine and the tests failed far from the cause).
final class SetupScriptTests: CommandLineTestCase {
    private var scripts: String { repository("scripts") }

    func testUnavailablePhotoPackageStopsSetUpWithOneLineNamingIt() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifest = folder + "/photos.tsv"
        try "package\tsource\tsplit\tlicence\tauthor\nfilmsr-no-such-package\t/usr/share/none.jpg\ttraining\tnone\tnobody\n"
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let result = try execute("/bin/bash", [scripts + "/fetch-photos.sh", manifest])
        XCTAssertNotEqual(result.status, 0, "set-up must not succeed without the photos")
        let lines = result.errors.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "expected one line, got: \(result.errors)")
        XCTAssertTrue(result.errors.contains("filmsr-no-such-package"), result.errors)
        XCTAssertTrue(result.errors.hasPrefix("fetch-photos: "), result.errors)
    }

    /// The defect itself: under pipefail, `apt-cache policy | grep -q` failed with SIGPIPE for a
    /// package that has a candidate. The check must see the candidate of a package set-up
    /// installs, and none for a package that does not exist.
    func testPackageCandidateUnderPipefail() throws {
        let script = """
        set -euo pipefail
        source '\(scripts)/lib/packages.sh'
        printf 'ffmpeg=%s\\n' "$(package_candidate ffmpeg)"
        printf 'none=%s\\n' "$(package_candidate filmsr-no-such-package)"
        package_installed ffmpeg && echo installed
        """
        let result = try executeSucceeding("/bin/bash", ["-c", script])
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, result.output)
        XCTAssertTrue(lines[0].hasPrefix("ffmpeg=") && lines[0].count > "ffmpeg=".count, "no candidate found for ffmpeg: \(result.output)")
        XCTAssertEqual(lines[1], "none=")
        XCTAssertEqual(lines[2], "installed")
    }
}
