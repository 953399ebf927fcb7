import Engine
import Foundation
import Media
import Pipeline

/// Restores a film that has a clean reference, the unadapted way and with each variant of the
/// restore options (granularities, adaptation settings), and measures all of them against the
/// reference scene by scene: what each gains and what it costs, measured in one run on one machine.
public enum RestoreBenchmark {
    /// Restore options under a name for the table.
    public struct Setting: Sendable {
        public var name: String
        public var options: RestoreOptions
        public init(_ name: String, _ options: RestoreOptions) {
            self.name = name
            self.options = options
        }
    }

    public struct Variant: Codable, Sendable {
        /// "baseline" (unadapted) or the setting's name.
        public var name: String
        public var units: Int
        public var adaptationSeconds: Double
        public var renderSecondsPerFrame: Double
        public var scenes: [VideoComparison.Summary]
        /// Means of the per-scene means.
        public var meanOverScenes: VideoComparison.Summary
        /// What each unit rendered and why (the acceptance gate's reason, or the stop rule's choice).
        public var decisions: [String]
    }

    public struct Report: Codable, Sendable {
        public var input: String
        public var reference: String
        public var scenes: [Scene]
        public var variants: [Variant]
    }

    /// Work goes into `folder` (emptied first): the restored files and their work folders,
    /// FFV1 so that what is measured is what the network made.
    public static func run(input: String, reference: String, settings: [Setting],
                           resources: RestoreJob.Resources, folder: String, events: JobEvents = { _ in }) throws -> Report {
        guard let first = settings.first else { throw PipelineError("nothing to compare: no restore setting given") }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lpips = try LPIPS.load(from: resources.lpipsWeights), niqe = try NIQE()
        var resources = resources
        resources.transcode.encoder = EncoderSettings(codec: .ffv1)

        var restored: [(name: String, file: String, units: Int, adaptation: Double, render: Double, decisions: [String])] = []
        var scenes: [Scene] = []
        for setting in settings {
            let file = (folder as NSString).appendingPathComponent("\(setting.name).mkv")
            resources.workFolder = file + ".work"
            events(.message("\(setting.name):"))
            let summary = try RestoreJob.run(input: input, output: file, options: setting.options, resources: resources, events: events)
            scenes = summary.scenes
            let decisions = try summary.units.map { unit in
                let adapted = try AdaptationUnitSummary.read(summary.workFolder.unitSummary(unit: unit.index))
                return "unit \(unit.index + 1): " + (adapted?.acceptance?.reason ?? adapted?.keptIteration.map { "stop rule's choice, iteration \($0) (gate off)" } ?? "no summary")
            }
            restored.append((setting.name, file, summary.units.count, summary.adaptationSeconds.reduce(0) { $0 + ($1 ?? 0) },
                             summary.renderSeconds, decisions))
        }
        let baseline = (folder as NSString).appendingPathComponent("baseline.mkv")
        let started = Date()
        try UpscaleJob.run(input: input, output: baseline,
                           options: UpscaleJob.Options(model: first.options.model, modelsDirectory: resources.modelsDirectory,
                                                       tileSize: first.options.tileSize, transcode: resources.transcode))
        restored.insert(("baseline", baseline, 0, 0, Date().timeIntervalSince(started), []), at: 0)

        let frameCount = scenes.last.map { $0.lastFrame + 1 } ?? 0
        let variants = try restored.map { item -> Variant in
            let qualities = try VideoComparison.compare(item.file, reference: reference, lpips: lpips, niqe: niqe)
            let perScene = scenes.map { VideoComparison.Summary(qualities[$0.firstFrame...$0.lastFrame]) }
            let mean = VideoComparison.Summary(meanOf: perScene)
            return Variant(name: item.name, units: item.units, adaptationSeconds: item.adaptation,
                           renderSecondsPerFrame: item.render / Double(max(1, frameCount)), scenes: perScene, meanOverScenes: mean,
                           decisions: item.decisions)
        }
        return Report(input: input, reference: reference, scenes: scenes, variants: variants)
    }
}
