import Foundation
import XCTest

/// `filmsr lab bench curve` run as a user would (its measurements are tested in PipelineTests).
final class BenchCurveCommandTests: CommandLineTestCase {
    func testCurveTableAndReport() throws {
        let folder = try temporaryDirectory()
        for (name, source) in [("old", "tape_old.mp4"), ("clean", "tape_clean.mp4")] {
            try executeSucceeding("/usr/bin/ffmpeg", ["-v", "error", "-i", sample(source), "-frames:v", "8", "-an", "-c:v", "ffv1", folder + "/\(name).mkv"])
        }
        let arguments = ["lab", "bench", "curve", folder + "/old.mkv", folder + "/clean.mkv", "--work", folder + "/curve", "--variants", "lway,lway+far",
                         "--iterations", "4", "--evaluate-every", "2", "--frame-step", "4", "--validation-interval", "1",
                         "--batch", "1", "--patch", "32", "--frames-per-scene", "2", "--threads", "1"]
        let result = try filmsrSucceeding(arguments)
        let lines = result.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("iteration  lway ") && $0.contains("lway+far") }, result.output)
        for iteration in [0, 2, 4] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(String(repeating: " ", count: 8) + "\(iteration)  ") }, "no row for \(iteration): \(result.output)")
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("lway+far: best PSNR at iteration") && $0.contains("stop rule (patience 3)") }, result.output)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/curve/curves.json"))) as! [String: Any]
        XCTAssertEqual(report["evaluatedFrames"] as? [Int], [0, 4])
        XCTAssertEqual((report["curves"] as! [[String: Any]]).map { $0["name"] as! String }, ["lway", "lway+far"])
        try assertOneLineErrors([
            (["lab", "bench", "curve", "--variants", "lway+magic"], "--variants: lway+magic is not one of lway, neighbour, controller, far, both, each optionally followed by +far"),
            (["lab", "bench", "curve", "--evaluate-every", "0"], "--evaluate-every and --frame-step must be at least 1"),
            (["lab", "bench", "curve", "--scale", "2"], "the curve is measured at the model's scale (x4): leave --scale out"),
        ])
    }
}
