import Engine
import Foundation
@testable import Lab
import Media
@testable import Pipeline
import PipelineTestSupport
import TestSupport
import XCTest

final class OverfittingCurveTests: XCTestCase {
    /// An observer that renders with the rendered (moving-average) and the kept weights after
    /// every iteration leaves the adaptation exactly as it is without one.
    func testObservingTheAdaptationChangesNothing() throws {
        let frames = try PipelineFixtures.reelFrames([0, 5, 10, 15]).map { AdaptationFrame($0) }
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        var options = AdaptationOptions()
        options.iterations = 6
        options.batchSize = 2
        options.lrPatchSize = 40
        options.learningRate = 1e-3
        options.validationInterval = 2
        options.emaDecay = 0.5
        func adapted(observing: Bool) throws -> (steps: [LWayAdapter.Step], kept: Int?, weights: [[Float]]) {
            let model = try SRModelSpec.named("compact-x4").load(from: ModelLocation.defaultDirectory)
            let branch = ReconstructionBranch(configuration: PipelineFixtures.tinyConfiguration(), seed: 3)
            let adapter = try LWayAdapter(model: model, branch: branch, lpips: lpips, options: options)
            var rendered = 0
            let result = try adapter.adapt(frames: frames, observe: { observation in
                guard observing else { return }
                _ = try adapter.withRenderedWeights { try model.upscale(frames[0].frame) }
                if let kept = observation.keptWeights { _ = try model.graph.withWeights(kept) { try model.upscale(frames[1].frame) } }
                rendered += 1
            })
            if observing { XCTAssertEqual(rendered, result.steps.count) }
            return (result.steps, result.keptIteration, model.graph.parameters.map(\.value.values))
        }
        let plain = try adapted(observing: false), observed = try adapted(observing: true)
        XCTAssertEqual(plain.steps.map(\.total), observed.steps.map(\.total))
        XCTAssertEqual(plain.steps.map(\.validation), observed.steps.map(\.validation))
        XCTAssertEqual(plain.kept, observed.kept)
        XCTAssertEqual(plain.weights, observed.weights)
    }

    /// On 12 frames of the tape clip: rows at the chosen iterations; iteration 0 measures what the
    /// restore benchmarks measure of the unadapted upscale; the simulated stop rule agrees with the
    /// held-out losses, and with what `restore` itself renders with the rule on.
    func testCurveAgreesWithTheBaselineAndTheRestoreJob() throws {
        let folder = NSTemporaryDirectory() + "filmsr-curve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/old.mkv", reference = folder + "/clean.mkv"
        for (source, cut) in [("tape_old.mp4", input), ("tape_clean.mp4", reference)] {
            let ffmpeg = try ProcessRunner.run("/usr/bin/ffmpeg", ["-v", "error", "-i", Repository.sample(source), "-frames:v", "12", "-an", "-c:v", "ffv1", cut])
            XCTAssertEqual(ffmpeg.status, 0, ffmpeg.errorText)
        }
        var options = RestoreOptions()
        options.granularity = .clip
        options.framesPerScene = 4
        options.adaptation.iterations = 20
        options.adaptation.batchSize = 1
        options.adaptation.lrPatchSize = 32
        options.adaptation.learningRate = 1e-3
        options.adaptation.validationInterval = 2
        options.adaptation.patience = 2
        var curveOptions = OverfittingCurve.Options()
        curveOptions.evaluateEvery = 10
        curveOptions.frameStep = 3
        var resources = RestoreJob.Resources()
        resources.transcode.encoder = EncoderSettings(codec: .ffv1)
        let report = try OverfittingCurve.run(input: input, reference: reference, settings: [RestoreBenchmark.Setting("neighbour", options)],
                                              resources: resources, folder: folder + "/curve", options: curveOptions)
        XCTAssertEqual(report.evaluatedFrames, [0, 3, 6, 9])
        let curve = try XCTUnwrap(report.curves.first)
        XCTAssertEqual(curve.points.map(\.iteration), [0, 10, 20])
        XCTAssertEqual(curve.validation.map(\.iteration), Array(stride(from: 0, through: 20, by: 2)))
        XCTAssertEqual(curve.points.map(\.validation), [0, 10, 20].map { iteration in curve.validation.first { $0.iteration == iteration }?.loss })
        for file in ["curves.json", "psnr.svg", "lpips.svg"] { XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/curve/" + file), file) }
        let tsv = try String(contentsOfFile: folder + "/curve/curves.tsv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(tsv.count, 1 + 3 + 1, "header, three iterations, the kept weights")

        /// Mean over scenes of the per-scene means of the evaluated frames of a rendered file.
        let lpips = try LPIPS.load(from: LPIPS.defaultWeightsPath)
        func quality(of file: String) throws -> VideoComparison.Summary {
            let frames = try VideoComparison.compare(file, reference: reference, lpips: lpips, niqe: nil).filter { report.evaluatedFrames.contains($0.frame) }
            return VideoComparison.Summary(meanOf: report.scenes.map { scene in
                VideoComparison.Summary(frames.filter { (scene.firstFrame...scene.lastFrame).contains($0.frame) }[...])
            })
        }
        func assertEqual(_ a: VideoComparison.Summary, _ b: VideoComparison.Summary, _ message: String) {
            XCTAssertEqual(a.psnr, b.psnr, accuracy: 1e-9, message)
            XCTAssertEqual(a.ssim, b.ssim, accuracy: 1e-9, message)
            XCTAssertEqual(a.lpips, b.lpips, accuracy: 1e-6, message)
        }
        try UpscaleJob.run(input: input, output: folder + "/baseline.mkv",
                           options: UpscaleJob.Options(transcode: resources.transcode))
        assertEqual(curve.points[0].quality, try quality(of: folder + "/baseline.mkv"), "iteration 0 is the unadapted model")

        // The stop rule replayed on the recorded losses: the best so far (the first of equals) is
        // kept, and it stops after `patience` measurements without improvement.
        var best = curve.validation[0], without = 0, stoppedAt: Int?
        for measurement in curve.validation.dropFirst() where stoppedAt == nil {
            if measurement.loss < best.loss { best = measurement; without = 0 } else { without += 1 }
            if without >= options.adaptation.patience { stoppedAt = measurement.iteration }
        }
        let rule = try XCTUnwrap(curve.stopRule)
        XCTAssertNotNil(stoppedAt, "settings meant to make the rule stop: held-out losses \(curve.validation.map(\.loss))")
        XCTAssertEqual(rule.stoppedAt, stoppedAt)
        XCTAssertEqual(rule.keptIteration, best.iteration)
        XCTAssertEqual(rule.keptValidation, best.loss)

        // `restore` with the rule on renders those weights, with the curve's quality.
        let summary = try RestoreJob.run(input: input, output: folder + "/restored.mkv", options: options, resources: resources)
        let unit = try XCTUnwrap(try AdaptationUnitSummary.read(summary.workFolder.unitSummary(unit: 0)))
        XCTAssertEqual(unit.keptIteration, rule.keptIteration)
        XCTAssertEqual(unit.iterations, rule.stoppedAt ?? options.adaptation.iterations)
        XCTAssertEqual(unit.keptValidation, rule.keptValidation)
        assertEqual(rule.quality, try quality(of: folder + "/restored.mkv"), "the kept weights are what restore renders")
    }
}
