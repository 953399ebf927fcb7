import Engine
import Foundation
import Media
import Pipeline

/// Quality against iterations (issue 6: does the late drop the follow-up paper reports happen,
/// and do FAR and the stop rule prevent it?). On a film with a clean reference, each setting
/// adapts once over the whole clip for all its iterations, the stop rule measuring its held-out
/// loss but never stopping; every `evaluateEvery` iterations the weights a restore would render
/// are measured against the reference. The stop rule is simulated on the same run: where it
/// would have stopped, which weights it would have kept, and their quality.
public enum OverfittingCurve {
    public struct Options: Sendable {
        public var evaluateEvery = 50
        /// Every `frameStep`-th frame is measured.
        public var frameStep = 2
        /// NIQE is the slowest measure: off unless asked for.
        public var niqe = false
        public init() {}
    }

    public struct Point: Codable, Sendable {
        /// Iterations done (0: the pretrained weights).
        public var iteration: Int
        /// Mean over scenes of the per-scene means (NIQE 0 when not measured).
        public var quality: VideoComparison.Summary
        public var scenes: [VideoComparison.Summary]
        /// The held-out loss measured after this iteration, when the stop rule measured one.
        public var validation: Double?
    }

    public struct ValidationMeasurement: Codable, Sendable {
        public var iteration: Int
        public var loss: Double
    }

    /// What the stop rule would have done on this run.
    public struct StopRule: Codable, Sendable {
        public var patience: Int
        /// nil: it would not have stopped within the iterations.
        public var stoppedAt: Int?
        public var keptIteration: Int
        public var keptValidation: Double
        public var quality: VideoComparison.Summary
    }

    public struct Curve: Codable, Sendable {
        public var name: String
        public var points: [Point]
        /// Every held-out measurement, the pretrained one (iteration 0) first.
        public var validation: [ValidationMeasurement]
        /// nil without held-out frames.
        public var stopRule: StopRule?
        public var adaptationSeconds: Double
        public var evaluationSeconds: Double
    }

    public struct Report: Codable, Sendable {
        public var input: String
        public var reference: String
        public var iterations: Int
        public var evaluateEvery: Int
        public var frameStep: Int
        public var evaluatedFrames: [Int]
        public var niqeMeasured: Bool
        public var scenes: [Scene]
        public var curves: [Curve]
    }

    /// Work (sampled frames, then the report as curves.json and curves.tsv, and psnr.svg and
    /// lpips.svg plots) goes into `folder`,
    /// emptied first. All settings must use the same model and scene options.
    public static func run(input: String, reference: String, settings: [RestoreBenchmark.Setting], resources: RestoreJob.Resources,
                           folder: String, options: Options, events: JobEvents = { _ in }) throws -> Report {
        guard let first = settings.first else { throw PipelineError("nothing to measure: no adaptation setting given") }
        guard options.evaluateEvery >= 1, options.frameStep >= 1 else { throw PipelineError("--evaluate-every and --frame-step must be at least 1") }
        let model = try SRModelSpec.named(first.options.model).load(from: resources.modelsDirectory)
        guard first.options.outputScale ?? model.scale == model.scale else {
            throw PipelineError("the curve is measured at the model's scale (x\(model.scale)): leave --scale out")
        }
        guard FileManager.default.fileExists(atPath: input) else { throw MediaError(input, "no such file") }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lpips = try LPIPS.load(from: resources.lpipsWeights), niqe = options.niqe ? try NIQE() : nil
        let evaluation = try EvaluationFrames(input: input, reference: reference, step: options.frameStep, scale: model.scale)
        let scenes = try SceneDetector(first.options.scenes).detect(path: input, events: events).scenes
        guard !scenes.isEmpty else { throw MediaError(input, "has no video frames") }
        events(.message("\(scenes.count) scenes; measuring \(evaluation.frames.count) frames (frame step \(options.frameStep))"))

        let processor = SuperResolutionProcessor(upscaler: TiledUpscaler(model: model, tileSize: first.options.tileSize,
                                                                         overlap: UpscaleJob.defaultOverlap(first.options.model)))
        func measure() throws -> (scenes: [VideoComparison.Summary], mean: VideoComparison.Summary) {
            try evaluation.measure(processor, scenes: scenes, lpips: lpips, niqe: niqe)
        }
        let pretrainedWeights = model.graph.snapshot()
        let pretrained = try measure()
        events(.message("pretrained: " + describe(pretrained.mean)))

        var curves: [Curve] = []
        for setting in settings {
            model.graph.load(pretrainedWeights)
            let frames = try adaptationFrames(input, scenes: scenes, options: setting.options,
                                              folder: (folder as NSString).appendingPathComponent("frames-\(setting.options.adaptation.target.rawValue)"))
            var adaptation = setting.options.adaptation
            let patience = adaptation.patience
            adaptation.patience = 0
            let branch = try ReconstructionBranch.load(from: resources.branchPath(controller: adaptation.controller)).branch
            let regulariser = adaptation.featureAlignmentWeight > 0
                ? try FeatureAlignmentRegulariser.load(from: resources.featureAlignmentWeights, lpips: resources.lpipsWeights) : nil
            let adapter = try LWayAdapter(model: model, branch: branch, lpips: lpips, options: adaptation, regulariser: regulariser)

            var curve = Curve(name: setting.name, points: [Point(iteration: 0, quality: pretrained.mean, scenes: pretrained.scenes)],
                              validation: [], stopRule: nil, adaptationSeconds: 0, evaluationSeconds: 0)
            let started = Date()
            let result = try adapter.adapt(frames: frames, progress: { done, loss in
                events(.progress(JobProgress(stage: "adapt \(setting.name)", done: done, total: adaptation.iterations,
                                             detail: String(format: "loss %.4f", loss))))
            }, observe: { observation in
                let done = observation.step.iteration + 1
                if let loss = observation.step.validation { curve.validation.append(ValidationMeasurement(iteration: done, loss: loss)) }
                let evaluationStarted = Date()
                defer { curve.evaluationSeconds += Date().timeIntervalSince(evaluationStarted) }
                if done % options.evaluateEvery == 0 || done == adaptation.iterations {
                    let measured = try adapter.withRenderedWeights { try measure() }
                    curve.points.append(Point(iteration: done, quality: measured.mean, scenes: measured.scenes, validation: observation.step.validation))
                    events(.message("\(setting.name) iteration \(done): " + describe(measured.mean)
                           + (observation.step.validation.map { String(format: ", held-out loss %.5f", $0) } ?? "")))
                }
                if curve.stopRule == nil, observation.stopRuleWouldStop(patience: patience),
                   let kept = observation.keptIteration, let loss = observation.keptValidation, let weights = observation.keptWeights {
                    let measured = try model.graph.withWeights(weights) { try measure() }
                    curve.stopRule = StopRule(patience: patience, stoppedAt: done, keptIteration: kept, keptValidation: loss, quality: measured.mean)
                    events(.message("\(setting.name): the stop rule would stop at iteration \(done), keeping iteration \(kept): " + describe(measured.mean)))
                }
            })
            events(.stageFinished("adapt \(setting.name)"))
            if let pretrainedLoss = result.pretrainedValidation {
                curve.validation.insert(ValidationMeasurement(iteration: 0, loss: pretrainedLoss), at: 0)
                curve.points[0].validation = pretrainedLoss
            }
            // Never stopped: it keeps the best weights of the whole run, which adapt left in the model.
            if curve.stopRule == nil, let kept = result.keptIteration, let loss = result.keptValidation {
                let measured = try measure()
                curve.stopRule = StopRule(patience: patience, stoppedAt: nil, keptIteration: kept, keptValidation: loss, quality: measured.mean)
                events(.message("\(setting.name): the stop rule would not stop within \(adaptation.iterations) iterations, keeping iteration \(kept): " + describe(measured.mean)))
            }
            curve.adaptationSeconds = Date().timeIntervalSince(started) - curve.evaluationSeconds
            curves.append(curve)
        }
        let result = Report(input: input, reference: reference, iterations: first.options.adaptation.iterations,
                            evaluateEvery: options.evaluateEvery, frameStep: options.frameStep, evaluatedFrames: evaluation.indices,
                            niqeMeasured: options.niqe, scenes: scenes, curves: curves)
        try JSONEncoder.sorted.encode(result).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("curves.json")))
        try result.tsv().write(toFile: (folder as NSString).appendingPathComponent("curves.tsv"), atomically: true, encoding: .utf8)
        try result.plot(\.psnr, name: "PSNR (dB)").write(toFile: (folder as NSString).appendingPathComponent("psnr.svg"), atomically: true, encoding: .utf8)
        try result.plot(\.lpips, name: "LPIPS").write(toFile: (folder as NSString).appendingPathComponent("lpips.svg"), atomically: true, encoding: .utf8)
        return result
    }

    /// The whole clip's sampled frames (one adaptation unit, as `--granularity clip`), with
    /// their neighbours for the neighbour target, written under `folder`.
    private static func adaptationFrames(_ input: String, scenes: [Scene], options: RestoreOptions, folder: String) throws -> [AdaptationFrame] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = { (index: Int) in (folder as NSString).appendingPathComponent(String(format: "%06d.png", index)) }
        let sampled = try SceneFrameSampler(count: options.framesPerScene, neighbours: options.adaptation.target == .neighbour)
            .sample(input, scenes: scenes, file: file)
        return try zip(scenes, sampled).flatMap { scene, indices in
            try indices.map { try SceneFrameSampler.adaptationFrame($0, in: scene, target: options.adaptation.target, file: file) }
        }
    }

    private static func describe(_ quality: VideoComparison.Summary) -> String {
        String(format: "%.2f dB, SSIM %.4f, LPIPS %.4f", quality.psnr, quality.ssim, quality.lpips)
    }
}

extension OverfittingCurve.Report {
    /// One row per setting and measured iteration; the stop rule's kept weights as rows whose
    /// iteration column says "kept N (stopped at M)".
    public func tsv() -> String {
        var lines = ["variant\titeration\tpsnr\tssim\tlpips" + (niqeMeasured ? "\tniqe" : "") + "\tvalidation"]
        func row(_ name: String, _ iteration: String, _ quality: VideoComparison.Summary, _ validation: Double?) -> String {
            [name, iteration, String(format: "%.4f", quality.psnr), String(format: "%.5f", quality.ssim), String(format: "%.5f", quality.lpips)]
                .joined(separator: "\t") + (niqeMeasured ? String(format: "\t%.3f", quality.niqe) : "")
                + "\t" + (validation.map { String(format: "%.6f", $0) } ?? "")
        }
        for curve in curves {
            lines += curve.points.map { row(curve.name, String($0.iteration), $0.quality, $0.validation) }
            if let rule = curve.stopRule {
                lines.append(row(curve.name, "kept \(rule.keptIteration) (stopped at \(rule.stoppedAt.map(String.init) ?? "none"))",
                                 rule.quality, rule.keptValidation))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One measure of every curve against iterations, as an SVG picture.
    func plot(_ measure: KeyPath<VideoComparison.Summary, Double>, name: String) -> String {
        let series = curves.map { curve in
            (label: curve.name, points: curve.points.map { (x: Double($0.iteration), y: $0.quality[keyPath: measure]) })
        }
        return LossCurvePlot(points: series.first?.points ?? [], title: "\(name) against iterations", yLabel: name, width: 640, height: 360,
                             label: series.first?.label ?? "", others: Array(series.dropFirst())).svg()
    }
}
