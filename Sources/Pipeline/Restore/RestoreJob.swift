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
    public struct Resources: Codable, Equatable, Sendable {
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

        /// The same with every path absolute, for worker processes started elsewhere.
        func absolute(workFolder: String) -> Resources {
            var resources = self
            resources.modelsDirectory = RestoreJob.absolute(modelsDirectory)
            resources.reconstructionBranch = reconstructionBranch.map(RestoreJob.absolute)
            resources.lpipsWeights = RestoreJob.absolute(lpipsWeights)
            resources.featureAlignmentWeights = RestoreJob.absolute(featureAlignmentWeights)
            resources.workFolder = RestoreJob.absolute(workFolder)
            return resources
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

    /// Runs every stage in this process: plan, adapt each unit, render, join. A cluster runs
    /// the same stages as separate processes (`plan`, then `RestoreWorker`), with the same result.
    /// `dump`: frames whose LR, baseline, adapted and weight-map pictures go to the work
    /// folder's dump/ (inspection only: not part of the job, which resumes with any).
    @discardableResult
    public static func run(input: String, output: String, options: RestoreOptions, resources: Resources = Resources(),
                           dump: [FrameSelector] = [], events: JobEvents = { _ in }) throws -> Summary {
        let folder = RestoreWorkFolder(resources.workFolder ?? output + ".work")
        let planned = try plan(input: input, output: output, options: options, resources: resources, events: events)
        let jobLock = planned.lock
        let networks = planned.networks
        try RestoreFrameDump.check(dump, scenes: planned.scenes, input: input)
        var adaptationSeconds: [Double?] = []
        for unit in planned.units {
            adaptationSeconds.append(try adaptIfNeeded(unit, planned.plan, scenes: planned.scenes, networks: networks, folder: folder, events: events))
        }
        let processor = renderer(planned.plan, scenes: planned.scenes, units: planned.units, model: networks.model,
                                 pretrained: networks.pretrained, folder: folder)
        var dumpedFrames: [Int] = []
        if !dump.isEmpty {
            dumpedFrames = try RestoreFrameDump.write(input, filters: planned.plan.filters, frames: dump, folder: folder, processor: processor,
                                                      outputScale: planned.plan.outputScale)
            events(.message("frames \(dumpedFrames.map(String.init).joined(separator: ", ")) dumped into \(folder.dumpFolder)"))
        }
        var page = RestoreReport(input: input, output: output, options: options, scenes: planned.scenes, units: planned.units, folder: folder)
        // Written before rendering too, so that a restorer can look while a long film renders.
        try page.write()
        if let film = planned.finished {
            page.renderSeconds = film.renderSeconds
            events(.message("\(output): complete, written by an earlier run"))
        } else {
            let renderStarted = Date()
            try render(planned.plan, segments: Array(planned.plan.segments.indices), processor: processor, folder: folder, events: events)
            page.renderSeconds = Date().timeIntervalSince(renderStarted)
            try join(planned.plan, folder: folder, renderSeconds: page.renderSeconds!)
        }
        page.generated = Date()
        try page.write()
        withExtendedLifetime(jobLock) {}
        return Summary(scenes: planned.scenes, units: planned.units, adaptationSeconds: adaptationSeconds,
                       renderSeconds: page.renderSeconds!, workFolder: folder, dumpedFrames: dumpedFrames)
    }

    /// The plan stage and what it leaves loaded for the stages after it in the same process.
    package struct Planned {
        package var plan: RestorePlan
        package var scenes: [Scene]
        package var units: [AdaptationUnit]
        package var networks: AdaptationNetworks
        /// The whole job's lock, held as long as this value lives.
        package var lock: WorkLock
        /// The film, when an earlier run of the job wrote it and it is still in place.
        var finished: FinishedFilm?
    }

    /// Checks everything that can be refused before minutes of work, takes the work folder (one
    /// job at a time), and runs the stages every unit depends on: scenes, sampled frames, units,
    /// the render folder. Writes plan.json, from which a worker process runs any other stage.
    package static func plan(input: String, output: String, options: RestoreOptions, resources: Resources,
                             events: JobEvents) throws -> Planned {
        let destination = try OutputPath(output, inputs: [input])
        guard FileManager.default.fileExists(atPath: input) else { throw MediaError(input, "no such file") }
        let folder = RestoreWorkFolder(resources.workFolder ?? output + ".work")
        try folder.prepare()
        // First, so that a second run on a busy folder is refused at once.
        let lock = try WorkLock(folder.jobLock, .exclusive, what: "work folder \(folder.path)")
        folder.removeAbandonedTemporaries()
        destination.removeAbandonedTemporaries()
        let networks = try AdaptationNetworks(options: options, resources: resources)
        let outputScale = options.outputScale ?? networks.model.scale
        guard [2, 4].contains(outputScale), outputScale <= networks.model.scale else {
            throw PipelineError("output scale \(outputScale) is impossible with \(options.model) (x\(networks.model.scale)): choose 2 or 4, at most the model's")
        }
        guard options.framesPerScene >= 1 else { throw PipelineError("frames per scene must be at least 1") }
        if let window = options.deflickerWindow, !(2...129).contains(window) {
            throw PipelineError("deflicker works over 2 to 129 frames, not \(window)")
        }
        try options.scenes.validate()
        try options.acceptance.validate()

        try claim(folder, for: RestoreJobRecord(input: input, options: options, filters: resources.transcode.filters))
        // Measured once per run (deterministic): every stage after this one sees the same pictures.
        var filters = try resources.transcode.filters?.plan(forFile: input)
        let scenes = try detectScenes(input, filters: filters, options: options, folder: folder, events: events)
        if let window = options.deflickerWindow {
            var deflickered = filters ?? FilterPlan(graph: nil, reason: "no filters", givesProgressive: false)
            deflickered.gains = try SceneDeflicker.measure(input, filters: filters, scenes: scenes, window: window,
                                                          events: events)
            deflickered.reason += "; deflickered scene by scene over \(window) frames"
            filters = deflickered
        }
        if let filters { events(.message("filters: \(filters.reason)")) }
        let units = try formUnits(input, filters: filters, scenes: scenes, options: options, branch: networks.branch, folder: folder, events: events)
        let plan = try RestorePlan(input: absolute(input), output: absolute(destination.path), filters: filters, options: options,
                                   resources: resources.absolute(workFolder: folder.path), outputScale: outputScale,
                                   scenes: scenes, units: units, segmentFrames: segmentFrames)
        let finished = try finishedFilm(plan, folder: folder)
        if finished == nil {
            try SegmentedRender(plan, folder: folder).prepare(outputWidth: plan.outputWidth, outputHeight: plan.outputHeight)
        }
        try plan.write(to: folder.plan)
        return Planned(plan: plan, scenes: scenes, units: units, networks: networks, lock: lock, finished: finished)
    }

    /// Adapts `unit` unless an earlier run did; returns the seconds it took (nil: done before).
    package static func adaptIfNeeded(_ unit: AdaptationUnit, _ plan: RestorePlan, scenes: [Scene], networks: AdaptationNetworks,
                                      folder: RestoreWorkFolder, events: JobEvents) throws -> Double? {
        guard !FileManager.default.fileExists(atPath: folder.weights(unit: unit.index)) else { return nil }
        let summary = try adapt(unit, of: plan.units, scenes: scenes, networks: networks, options: plan.options, folder: folder, events: events)
        let sceneNumbers = unit.scenes.map { String($0 + 1) }.joined(separator: ",")
        events(.message("unit \(unit.index + 1)/\(plan.units) (scenes \(sceneNumbers)) adapted in " + String(format: "%.1f s", summary.seconds)
               + (summary.acceptance.map { "; renders \($0.reason)" } ?? "")))
        return summary.seconds
    }

    /// Renders with each frame's unit weights (the pretrained ones where the gate kept them);
    /// `pretrained`: the model's weights as loaded.
    package static func renderer(_ plan: RestorePlan, scenes: [Scene], units: [AdaptationUnit], model: SRModel, pretrained: WeightSet,
                                 folder: RestoreWorkFolder) -> AdaptedSuperResolutionProcessor {
        let unitOfFrame = plan.unitOfFrame(scenes: scenes, units: units)
        let upscaler = TiledUpscaler(model: model, tileSize: plan.options.tileSize, overlap: UpscaleJob.defaultOverlap(plan.options.model))
        return AdaptedSuperResolutionProcessor(
            upscaler: upscaler, outputScale: plan.outputScale, pretrained: pretrained,
            unitOfFrame: { unitOfFrame[min($0, unitOfFrame.count - 1)] },
            weightsFile: { folder.weights(unit: $0) })
    }

    /// Most frames a render segment holds: what an interruption can cost (a few minutes of rendering).
    static let segmentFrames = 500

    /// Renders the given segments that an earlier run did not finish.
    package static func render(_ plan: RestorePlan, segments: [Int], processor: AdaptedSuperResolutionProcessor,
                               folder: RestoreWorkFolder, events: JobEvents) throws {
        let render = try SegmentedRender(plan, folder: folder)
        let finished = Set(render.finishedSegments).intersection(segments).count
        if finished > 0 { events(.message("render: \(finished) of \(segments.count) segments done by an earlier run")) }
        let total = render.framesToRender(segments)
        try withoutActuallyEscaping(events) { events in
            _ = try render.render(segments, processor: processor) { done in
                let scene = plan.sceneEnds.firstIndex { $0 >= done.frame } ?? plan.sceneEnds.count - 1
                events(.progress(JobProgress(stage: "render", done: done.framesDone, total: total,
                                             detail: "scene \(scene + 1)/\(plan.sceneEnds.count)  frame \(done.frame)")))
            }
        }
        events(.stageFinished("render"))
    }

    /// Writes the film from the rendered segments and the input's sound, and records it; the
    /// segments go once the film is in place and recorded.
    package static func join(_ plan: RestorePlan, folder: RestoreWorkFolder, renderSeconds: Double) throws {
        // Recorded before the film takes its name (a rename keeps its size and time): a kill
        // before the rename leaves no film at OUT, one after it a film with its record, so a
        // finished film is never joined again.
        try SegmentedRender(plan, folder: folder).join { complete in
            try FinishedFilm.record(complete, as: plan.output, renderSeconds: renderSeconds, in: folder)
        }
        try FileManager.default.removeItem(atPath: folder.renderFolder)
    }

    /// The job's film when an earlier run wrote it and it is still in place; the segments go if
    /// that run was killed before removing them.
    package static func finishedFilm(_ plan: RestorePlan, folder: RestoreWorkFolder) throws -> FinishedFilm? {
        guard let film = FinishedFilm.find(plan.output, in: folder) else { return nil }
        if FileManager.default.fileExists(atPath: folder.renderFolder) { try FileManager.default.removeItem(atPath: folder.renderFolder) }
        return film
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

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

    package static func detectScenes(_ input: String, filters: FilterPlan? = nil, options: RestoreOptions, folder: RestoreWorkFolder,
                                     events: JobEvents) throws -> [Scene] {
        if FileManager.default.fileExists(atPath: folder.scenes) { return try folder.readScenes() }
        let list = try SceneDetector(options.scenes).detect(path: input, filters: filters, events: events)
        guard !list.scenes.isEmpty else { throw MediaError(input, "has no video frames: nothing to restore") }
        try list.write(to: folder.scenes, as: .json)
        events(.message("\(list.scenes.count) scenes in \(list.frameCount) frames"))
        // A damaged stretch costs its frames, not the film: they are restored as decoded, and named.
        if let damage = list.damage {
            let summary = damage.summary { frame in
                guard let scene = list.scene(containing: frame) else { return nil }
                return (list.frames[frame].time, frame < scene.lastFrame ? list.frames[frame + 1].time : scene.endTime)
            }
            events(.message("\(input): \(summary); restored as decoded: check those frames"))
        }
        return list.scenes
    }

    package static func formUnits(_ input: String, filters: FilterPlan? = nil, scenes: [Scene], options: RestoreOptions, branch: ReconstructionBranch,
                                  folder: RestoreWorkFolder, events: JobEvents) throws -> [AdaptationUnit] {
        if FileManager.default.fileExists(atPath: folder.units) { return try folder.readUnits() }
        let sampler = SceneFrameSampler(count: options.framesPerScene, neighbours: options.adaptation.target == .neighbour)
        let sampled = try sampler.sample(input, filters: filters, scenes: scenes, file: folder.frame)
        let groups: [[Int]]
        switch options.granularity {
        case .scene: groups = scenes.indices.map { [$0] }
        case .clip: groups = [Array(scenes.indices)]
        case .group:
            let embeddings = try sampled.map { try SceneGrouping.embedding(of: try $0.map { try Tensor(pictureAt: folder.frame($0)) }, branch: branch) }
            groups = SceneGrouping.group(embeddings: embeddings, threshold: options.groupThreshold)
            events(.message("\(scenes.count) scenes in \(groups.count) groups: " + groups.map { $0.map { String($0 + 1) }.joined(separator: "+") }.joined(separator: ", ")))
        }
        var units = groups.enumerated().map { AdaptationUnit(index: $0.offset, scenes: $0.element, frames: $0.element.flatMap { sampled[$0] }) }
        if options.acceptance.enabled {
            for index in units.indices {
                let unitScenes = units[index].scenes.map { scenes[$0] }
                let training = EvidenceFrames.trainingFrames(of: units[index].frames, scenes: unitScenes, heldOutShare: options.adaptation.heldOutShare,
                                                             neighbours: options.adaptation.target == .neighbour)
                units[index].evidence = EvidenceFrames.choose(scenes: unitScenes, trainingFrames: training, count: options.acceptance.evidencePairs)
            }
            try SceneFrameSampler.extract(input, filters: filters, frames: Set(units.flatMap { $0.evidence.flatMap { [$0, $0 + 1] } }), file: folder.frame)
        }
        try JSONEncoder.sorted.encode(units).write(to: URL(fileURLWithPath: folder.units), options: .atomic)
        return units
    }

    private static func adapt(_ unit: AdaptationUnit, of count: Int, scenes: [Scene], networks: AdaptationNetworks,
                              options: RestoreOptions, folder: RestoreWorkFolder, events: JobEvents) throws -> AdaptationUnitSummary {
        let started = Date()
        let outcome = try UnitAdaptation.run(unit, scenes: scenes, networks: networks, options: options, file: folder.frame) { done, loss in
            events(.progress(JobProgress(stage: "adapt", done: done, total: options.adaptation.iterations,
                                         detail: String(format: "unit %d/%d  loss %.4f", unit.index + 1, count, loss))))
        }
        events(.stageFinished("adapt"))
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
        try Checkpoint.save(networks.model.graph.parameters, metadata: ["model": options.model, "scenes": unit.scenes.map(String.init).joined(separator: ",")],
                            to: folder.weights(unit: unit.index))
        return summary
    }
}
