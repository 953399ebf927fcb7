import Engine
import Foundation
import Media

/// Restores a film that has a clean reference, the unadapted way and with each adaptation
/// granularity, and measures all of them against the reference scene by scene: what the
/// adaptation gains and what it costs, measured in one run on one machine.
public enum RestoreBenchmark {
    public struct Variant: Codable, Sendable {
        /// "baseline" (unadapted) or a granularity.
        public var name: String
        public var units: Int
        public var adaptationSeconds: Double
        public var renderSecondsPerFrame: Double
        public var scenes: [VideoComparison.Summary]
        /// Means of the per-scene means.
        public var meanOverScenes: VideoComparison.Summary
    }

    public struct Report: Codable, Sendable {
        public var input: String
        public var reference: String
        public var scenes: [Scene]
        public var variants: [Variant]
    }

    /// Work goes into `folder` (emptied first): the restored files and their work folders,
    /// FFV1 so that what is measured is what the network made.
    public static func run(input: String, reference: String, options: RestoreOptions, granularities: [AdaptationGranularity],
                           resources: RestoreJob.Resources, folder: String, report: (String) -> Void = { _ in }) throws -> Report {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lpips = try LPIPS.load(from: resources.lpipsWeights)
        var resources = resources
        resources.transcode.encoder = EncoderSettings(codec: .ffv1)

        var restored: [(name: String, file: String, units: Int, adaptation: Double, render: Double)] = []
        var scenes: [Scene] = []
        for granularity in granularities {
            var variant = options
            variant.granularity = granularity
            let file = (folder as NSString).appendingPathComponent("\(granularity.rawValue).mkv")
            resources.workFolder = file + ".work"
            let summary = try RestoreJob.run(input: input, output: file, options: variant, resources: resources, report: report)
            scenes = summary.scenes
            restored.append((granularity.rawValue, file, summary.units.count, summary.adaptationSeconds.reduce(0) { $0 + ($1 ?? 0) },
                             summary.renderSeconds))
        }
        let baseline = (folder as NSString).appendingPathComponent("baseline.mkv")
        let started = Date()
        try UpscaleJob.run(input: input, output: baseline,
                           options: UpscaleJob.Options(model: options.model, modelsDirectory: resources.modelsDirectory,
                                                       tileSize: options.tileSize, transcode: resources.transcode))
        restored.insert(("baseline", baseline, 0, 0, Date().timeIntervalSince(started)), at: 0)

        let frameCount = scenes.last.map { $0.lastFrame + 1 } ?? 0
        let variants = try restored.map { item -> Variant in
            let qualities = try VideoComparison.compare(item.file, reference: reference, lpips: lpips)
            let perScene = scenes.map { VideoComparison.Summary(qualities[$0.firstFrame...$0.lastFrame]) }
            let mean = VideoComparison.Summary(frames: frameCount, psnr: perScene.map(\.psnr).mean, ssim: perScene.map(\.ssim).mean,
                                               lpips: perScene.map(\.lpips).mean)
            return Variant(name: item.name, units: item.units, adaptationSeconds: item.adaptation,
                           renderSecondsPerFrame: item.render / Double(max(1, frameCount)), scenes: perScene, meanOverScenes: mean)
        }
        return Report(input: input, reference: reference, scenes: scenes, variants: variants)
    }
}

extension VideoComparison.Summary {
    init(frames: Int, psnr: Double, ssim: Double, lpips: Double) {
        self.frames = frames
        self.psnr = psnr
        self.ssim = ssim
        self.lpips = lpips
    }
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}
