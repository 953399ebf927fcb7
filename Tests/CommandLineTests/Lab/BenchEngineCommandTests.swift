import Foundation
import XCTest

/// `filmsr lab bench engine`'s single-measurement modes, the drivers of the comparisons with
/// PyTorch (scripts/bench-engine.sh pairs their JSON lines with the peers' by name and threads).
final class BenchEngineCommandTests: CommandLineTestCase {
    func testTrainingAndLWayStepsAreTimedWithTheNamesThePeersUse() throws {
        for (flag, name) in [
            ("--training-only", "compact-x4 training step, 4 x 64x64 patches"),
            ("--lway-step-only", "LWay step, 6 x 48x48 patches (E, S, R, LPIPS, HF map, Adam on S)")
        ] {
            let result = try filmsrSucceeding(["lab", "bench", "engine", flag, "--runs", "1", "--threads", "1", "--json"])
            let lines = result.output.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, result.output)
            let measurement = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
            XCTAssertEqual(measurement["name"] as? String, name)
            XCTAssertEqual(measurement["threads"] as? Int, 1)
            XCTAssertGreaterThan(measurement["seconds"] as? Double ?? 0, 0)
        }
    }
}
