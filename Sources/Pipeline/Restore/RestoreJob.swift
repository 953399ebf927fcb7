import Engine
import Foundation
import Media

/// `filmsr restore`: scenes, per-scene LWay adaptation, rendering, re-encoding.
///
/// Stages, each leaving its result in the work folder so that a job killed at any point
/// resumes where it stopped (finished adaptations and rendered segments are never redone):
/// detect scenes, sample each scene's frames, form the adaptation units (scene, group or clip),
/// adapt each unit, render every frame with its unit's weights a segment at a time, join the
/// segments with the sound. The output file appears only when complete.
public enum RestoreJob {
    /// Where the job's inputs other than the film come from.
    public struct Resources: Sendable {
        public var modelsDirectory = ModelLocation.defaultDirectory
        /// Default: the committed branch, the one with the controller when the options use it.
        public var reconstructionBranch: String?
        public var lpipsWeights = LPIPS.defaultWeightsPath
        public var featureAlignmentWeights = FeatureAlignmentRegulariser.defaultPath
        public var transcode = TranscodeOptions()
        /// Default: the output's path + ".work".
        public var workFolder: String?
        public init() {}

        /// The reconstruction branch to load for adaptation with or without the controller.
        public func branchPath(controller: Bool) -> String {
            reconstructionBranch ?? (controller ? ReconstructionBranch.defaultControllerPath : ReconstructionBranch.defaultPath)
        }
    }

    public struct Summary: Sendable {
        public var scenes: [Scene]
        public var units: [AdaptationUnit]
        /// Seconds each unit's adaptation took in this run (nil: done by an earlier run).
        public var adaptationSeconds: [Double?]
        public var renderSeconds: Double
        public var workFolder: RestoreWorkFolder
        /// Frames written by `--dump` in this run.
        public var dumpedFrames: [Int]
    }

    /// `dump`: frames whose LR, baseline, adapted and weight-map pictures go to the work
    /// folder's dump/ (inspection only: not part of the job, which resumes with any).
    @discardableResult
    public static func run(input: String, output: String, options: RestoreOptions, resources: Resources = Resources(),
                           dump: [FrameSelector] = [], report: (String) -> Void = { _ in }) throws -> Summary {
        // Everything that can be refused is refused before minutes of work.
        let destination = try OutputPath(output, inputs: [input])
        guard FileManager.default.fileExists(atPath: input) else { throw MediaError(input, "no such file") }
        let model = try SRModelSpec.named(options.model).load(from: resources.modelsDirectory)
        let outputScale = options.outputScale ?? model.scale
        guard [2, 4].contains(outputScale), outputScale <= model.scale else {
            throw PipelineError("output scale \(outputScale) is impossible with \(options.model) (x\(model.scale)): choose 2 or 4, at most the model's")
        }
        guard options.framesPerScene >= 1 else { throw PipelineError("frames per scene must be at least 1") }
        try options.scenes.validate()
        try options.acceptance.validate()
        let branch = try ReconstructionBranch.load(from: resources.branchPath(controller: options.adaptation.controller)).branch
        let lpips = try LPIPS.load(from: resources.lpipsWeights)
        let regulariser = options.adaptation.featureAlignmentWeight > 0
            ? try FeatureAlignmentRegulariser.load(from: resources.featureAlignmentWeights, lpips: resources.lpipsWeights) : nil
        // Checks the pairing of model and branch, and the adaptation options, now.
        _ = try LWayAdapter(model: model, branch: branch, lpips: lpips, options: options.adaptation, regulariser: regulariser)

        let folder = RestoreWorkFolder(resources.workFolder ?? output + ".work")
        try folder.prepare()
        try claim(folder, for: RestoreJobRecord(input: input, options: options))
        let scenes = try detectScenes(input, options: options, folder: folder, report: report)
        try RestoreFrameDump.check(dump, scenes: scenes, input: input)
        let units = try formUnits(input, scenes: scenes, options: options, branch: branch, folder: folder, report: report)

        let baseWeights = model.graph.snapshot()
        var adaptationSeconds: [Double?] = []
        for unit in units {
            guard !FileManager.default.fileExists(atPath: folder.weights(unit: unit.index)) else {
                adaptationSeconds.append(nil)
                continue
            }
            let summary = try adapt(unit, of: units.count, scenes: scenes, model: model, branch: branch, lpips: lpips,
                                    regulariser: regulariser, options: options, pretrained: baseWeights, folder: folder)
            adaptationSeconds.append(summary.seconds)
            let sceneNumbers = unit.scenes.map { String($0 + 1) }.joined(separator: ",")
            report("unit \(unit.index + 1)/\(units.count) (scenes \(sceneNumbers)) adapted in " + String(format: "%.1f s", summary.seconds)
                   + (summary.acceptance.map { "; renders \($0.reason)" } ?? ""))
        }

        // Unit of every frame; frames past the detected end (a stream that grew) keep the last scene's.
        var unitOfFrame = [Int](repeating: 0, count: scenes.last!.lastFrame + 1)
        for unit in units {
            for scene in unit.scenes { for frame in scenes[scene].firstFrame...scenes[scene].lastFrame { unitOfFrame[frame] = unit.index } }
        }
        let upscaler = TiledUpscaler(model: model, tileSize: options.tileSize, overlap: UpscaleJob.defaultOverlap(options.model))
        let processor = AdaptedSuperResolutionProcessor(
            upscaler: upscaler, outputScale: outputScale, pretrained: baseWeights,
            unitOfFrame: { unitOfFrame[min($0, unitOfFrame.count - 1)] },
            weightsFile: { folder.weights(unit: $0) })
        var dumpedFrames: [Int] = []
        if !dump.isEmpty {
            dumpedFrames = try RestoreFrameDump.write(input, frames: dump, folder: folder, processor: processor, outputScale: outputScale)
            report("frames \(dumpedFrames.map(String.init).joined(separator: ", ")) dumped into \(folder.dumpFolder)")
        }
        var page = RestoreReport(input: input, output: output, options: options, scenes: scenes, units: units, folder: folder)
        // Written before rendering too, so that a restorer can look while a long film renders.
        try page.write()
        let renderStarted = Date()
        try render(input, to: destination.path, scenes: scenes, processor: processor, options: resources.transcode,
                   folder: folder, report: report)
        let renderSeconds = Date().timeIntervalSince(renderStarted)
        page.renderSeconds = renderSeconds
        page.generated = Date()
        try page.write()
        return Summary(scenes: scenes, units: units, adaptationSeconds: adaptationSeconds,
                       renderSeconds: renderSeconds, workFolder: folder, dumpedFrames: dumpedFrames)
    }

    /// Most frames a render segment holds: what an interruption can cost (a few minutes of rendering).
    static let segmentFrames = 500

    /// Renders the segments an earlier run did not finish (a scene, or a part of a long one,
    /// each), then joins them into the film; the segments go once the film is in place.
    private static func render(_ input: String, to output: String, scenes: [Scene], processor: AdaptedSuperResolutionProcessor,
                               options: TranscodeOptions, folder: RestoreWorkFolder, report: (String) -> Void) throws {
        let segments = scenes.flatMap { scene in
            stride(from: scene.firstFrame, through: scene.lastFrame, by: segmentFrames).map { $0..<min($0 + segmentFrames, scene.lastFrame + 1) }
        }
        let render = try SegmentedRender(input: input, output: output, folder: folder.renderFolder, segments: segments, options: options)
        let finished = render.finishedSegments.count
        if finished > 0 { report("render: \(finished) of \(segments.count) segments done by an earlier run") }
        let progress = ProgressReporter(stage: "render", total: render.framesToRender)
        try render.render(processor: processor) { done in
            let scene = scenes.firstIndex { $0.lastFrame >= done.frame } ?? scenes.count - 1
            progress.update(done: done.framesDone, detail: "scene \(scene + 1)/\(scenes.count)  frame \(done.frame)")
        }
        progress.finish()
        try render.join()
        try FileManager.default.removeItem(atPath: folder.renderFolder)
    }

    /// Takes the work folder for this job, or refuses one made for another.
    private static func claim(_ folder: RestoreWorkFolder, for record: RestoreJobRecord) throws {
        if let data = FileManager.default.contents(atPath: folder.job) {
            guard try RestoreJobRecord.read(json: data, file: folder.job) == record else {
                throw PipelineError("\(folder.path): work folder of another job (other input or options); use another --work folder or delete it")
            }
            return
        }
        try JSONEncoder.sorted.encode(record).write(to: URL(fileURLWithPath: folder.job), options: .atomic)
    }

    static func detectScenes(_ input: String, options: RestoreOptions, folder: RestoreWorkFolder,
                                     report: (String) -> Void) throws -> [Scene] {
        if let data = FileManager.default.contents(atPath: folder.scenes) {
            let list = try SceneList.read(json: data, file: folder.scenes)
            guard !list.scenes.isEmpty else { throw PipelineError("\(folder.scenes): holds no scene; delete the work folder") }
            return list.scenes
        }
        let list = try SceneDetector(options.scenes).detect(path: input, progress: ProgressReporter(stage: "scenes", total: nil))
        guard !list.scenes.isEmpty else { throw MediaError(input, "has no video frames: nothing to restore") }
        try list.write(to: folder.scenes, as: .json)
        report("\(list.scenes.count) scenes in \(list.frameCount) frames")
        return list.scenes
    }

    static func formUnits(_ input: String, scenes: [Scene], options: RestoreOptions, branch: ReconstructionBranch,
                                  folder: RestoreWorkFolder, report: (String) -> Void) throws -> [AdaptationUnit] {
        if let data = FileManager.default.contents(atPath: folder.units) {
            return try AdaptationUnit.readList(json: data, file: folder.units, scenes: scenes)
        }
        let sampler = SceneFrameSampler(count: options.framesPerScene, neighbours: options.adaptation.target == .neighbour)
        let sampled = try sampler.sample(input, scenes: scenes, file: folder.frame)
        let groups: [[Int]]
        switch options.granularity {
        case .scene: groups = scenes.indices.map { [$0] }
        case .clip: groups = [Array(scenes.indices)]
        case .group:
            let embeddings = try sampled.map { try SceneGrouping.embedding(of: try $0.map { try loadFrame(folder.frame($0)) }, branch: branch) }
            groups = SceneGrouping.group(embeddings: embeddings, threshold: options.groupThreshold)
            report("\(scenes.count) scenes in \(groups.count) groups: " + groups.map { $0.map { String($0 + 1) }.joined(separator: "+") }.joined(separator: ", "))
        }
        var units = groups.enumerated().map { AdaptationUnit(index: $0.offset, scenes: $0.element, frames: $0.element.flatMap { sampled[$0] }) }
        if options.acceptance.enabled {
            for index in units.indices {
                let unitScenes = units[index].scenes.map { scenes[$0] }
                let training = EvidenceFrames.trainingFrames(of: units[index].frames, scenes: unitScenes, heldOutShare: options.adaptation.heldOutShare,
                                                             neighbours: options.adaptation.target == .neighbour)
                units[index].evidence = EvidenceFrames.choose(scenes: unitScenes, trainingFrames: training, count: options.acceptance.evidencePairs)
            }
            try SceneFrameSampler.extract(input, frames: Set(units.flatMap { $0.evidence.flatMap { [$0, $0 + 1] } }), file: folder.frame)
        }
        try JSONEncoder.sorted.encode(units).write(to: URL(fileURLWithPath: folder.units), options: .atomic)
        return units
    }

    private static func adapt(_ unit: AdaptationUnit, of count: Int, scenes: [Scene], model: SRModel, branch: ReconstructionBranch, lpips: LPIPS,
                              regulariser: FeatureAlignmentRegulariser?, options: RestoreOptions, pretrained: [Tensor],
                              folder: RestoreWorkFolder) throws -> AdaptationUnitSummary {
        let started = Date()
        let progress = ProgressReporter(stage: "adapt", total: options.adaptation.iterations)
        let outcome = try UnitAdaptation.run(unit, scenes: scenes, model: model, branch: branch, lpips: lpips, regulariser: regulariser,
                                             options: options, pretrained: pretrained, file: folder.frame) { done, loss in
            progress.update(done: done, detail: String(format: "unit %d/%d  loss %.4f", unit.index + 1, count, loss))
        }
        progress.finish()
        let result = outcome.result
        let steps = result.steps
        let log = "iteration\tl1\tlpips\ttotal\tvalidation\n" + steps.map {
            String(format: "%d\t%.6f\t%.6f\t%.6f\t", $0.iteration, $0.l1, $0.lpips, $0.total) + ($0.validation.map { String(format: "%.6f", $0) } ?? "")
        }.joined(separator: "\n") + "\n"
        try log.write(toFile: folder.lossLog(unit: unit.index), atomically: true, encoding: .utf8)
        let summary = AdaptationUnitSummary(unit: unit.index, scenes: unit.scenes, frames: unit.frames,
                                            seconds: Date().timeIntervalSince(started), iterations: steps.count,
                                            firstLoss: steps.first?.total ?? 0, lastLoss: steps.last?.total ?? 0,
                                            keptIteration: result.keptIteration, pretrainedValidation: result.pretrainedValidation,
                                            keptValidation: result.keptValidation, acceptance: outcome.decision)
        try summary.write(to: folder.unitSummary(unit: unit.index))
        // Written last, atomically: its presence marks the unit done.
        try Checkpoint.save(model.graph.parameters, metadata: ["model": options.model, "scenes": unit.scenes.map(String.init).joined(separator: ",")],
                            to: folder.weights(unit: unit.index))
        return summary
    }

    static func loadFrame(_ path: String) throws -> Tensor {
        guard let frame = try VideoFrameReader(path: path).next() else { throw MediaError(path, "has no picture") }
        return Tensor(frame.image)
    }
}
