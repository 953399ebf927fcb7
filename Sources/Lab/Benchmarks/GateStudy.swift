import Engine
import Foundation
import Media
import Pipeline

/// Why adaptation helps or hurts, measured (issue 14): on clips with a clean reference, every
/// unit is adapted as restore adapts it, and every candidate checkpoint the acceptance gate
/// sees is also measured against the truth. Each record holds a (clip, unit, checkpoint)'s true
/// change against the unadapted network next to the gate's no-reference signals, so that the
/// signals' rank correlation with the truth can be computed, thresholds chosen on some clips,
/// and any gate setting replayed without adapting again.
public enum GateStudy {
    public struct Clip: Codable, Sendable {
        public var name: String
        public var input: String
        public var reference: String
        public init(name: String, input: String, reference: String) {
            self.name = name
            self.input = input
            self.reference = reference
        }
    }

    /// Quality of one unit's frames against the reference: means over its frames (temporal
    /// error over consecutive frames within each scene).
    public struct Quality: Codable, Sendable {
        public var psnr: Double
        public var ssim: Double
        public var lpips: Double
        public var temporalError: Double
    }

    public struct Candidate: Codable, Sendable, MeasuredCandidate {
        public var iteration: Int
        /// The share of the checkpoint's change (studies before shares hold 1 only).
        public var share: Double
        public var signals: AcceptanceSignals
        public var quality: Quality

        init(iteration: Int, share: Double, signals: AcceptanceSignals, quality: Quality) {
            self.iteration = iteration
            self.share = share
            self.signals = signals
            self.quality = quality
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            iteration = try container.decode(Int.self, forKey: .iteration)
            share = try container.decodeIfPresent(Double.self, forKey: .share) ?? 1
            signals = try container.decode(AcceptanceSignals.self, forKey: .signals)
            quality = try container.decode(Quality.self, forKey: .quality)
        }
    }

    public struct Unit: Codable, Sendable {
        public var clip: String
        public var unit: Int
        public var scenes: [Int]
        public var frames: Int
        public var pretrained: Quality
        public var candidates: [Candidate]
        /// What the stop rule alone kept (restore before the gate): 0 for the pretrained weights.
        public var stopRuleIteration: Int
        /// The gate's choice when the study ran (index into `candidates`; nil: pretrained), and why.
        public var gateCandidate: Int?
        public var gateReason: String
    }

    public struct Report: Codable, Sendable {
        public var clips: [Clip]
        public var options: RestoreOptions
        public var units: [Unit]

        init(clips: [Clip], options: RestoreOptions, units: [Unit]) {
            self.clips = clips
            self.options = options
            self.units = units
        }

        /// Several runs as one: their clips and units; the first run's options.
        public init(joining reports: [Report]) throws {
            let names = reports.flatMap { $0.clips.map(\.name) }
            guard let first = reports.first, Set(names).count == names.count else {
                throw PipelineError("studies to join must name each clip once (got \(names.joined(separator: ", ")))")
            }
            self.init(clips: reports.flatMap(\.clips), options: first.options, units: reports.flatMap(\.units))
        }
    }

    /// Adapts and measures every unit of every clip (or only the units that `selected` names by
    /// clip and index), each checkpoint itself (share 1: the stop rule's choice) as well as at the
    /// gate's shares, which the gate alone chooses from. Work goes into `folder` (emptied first).
    public static func run(clips: [Clip], options: RestoreOptions, resources: RestoreJob.Resources, folder: String,
                           selected: (_ clip: String, _ unit: Int) -> Bool = { _, _ in true },
                           events: JobEvents = { _ in }) throws -> Report {
        var options = options
        options.acceptance.enabled = true
        let networks = try AdaptationNetworks(options: options, resources: resources)
        let model = networks.model, lpips = networks.lpips, pretrained = networks.pretrained
        guard options.outputScale ?? model.scale == model.scale else { throw PipelineError("the study measures at the model's scale: leave --scale out") }
        try? FileManager.default.removeItem(atPath: folder)
        var units: [Unit] = []
        for clip in clips {
            let work = RestoreWorkFolder((folder as NSString).appendingPathComponent(clip.name))
            try work.prepare()
            let scenes = try RestoreJob.detectScenes(clip.input, options: options, folder: work, events: events)
            let clipUnits = try RestoreJob.formUnits(clip.input, scenes: scenes, options: options, branch: networks.branch, folder: work, events: events)
            let frames = try EvaluationFrames(input: clip.input, reference: clip.reference, step: 1, scale: model.scale)
            for unit in clipUnits where selected(clip.name, unit.index) {
                let started = Date()
                let outcome = try UnitAdaptation.run(unit, scenes: scenes, networks: networks, options: options,
                                                     alsoMeasured: [1], file: work.frame)
                let decision = outcome.decision!
                let unitScenes = unit.scenes.map { scenes[$0] }
                func measure(_ weights: WeightSet) throws -> Quality {
                    model.graph.load(weights)
                    return try quality(of: model, on: frames, scenes: unitScenes, options: options, lpips: lpips)
                }
                let base = try measure(pretrained)
                let candidates = try zip(outcome.candidates, decision.candidates).map { candidate, decided in
                    Candidate(iteration: candidate.iteration, share: candidate.share, signals: decided.signals, quality: try measure(candidate.weights))
                }
                let record = Unit(clip: clip.name, unit: unit.index, scenes: unit.scenes, frames: unitScenes.reduce(0) { $0 + $1.frameCount },
                                  pretrained: base, candidates: candidates,
                                  stopRuleIteration: outcome.result.keptIteration ?? outcome.result.steps.count,
                                  gateCandidate: candidates.firstIndex { decision.keeps(iteration: $0.iteration, share: $0.share) },
                                  gateReason: decision.reason)
                units.append(record)
                events(.message(String(format: "%@ unit %d: %.0f s; ", clip.name, unit.index + 1, Date().timeIntervalSince(started))
                       + candidates.map { AcceptanceGate.label($0.iteration, $0.share) + String(format: " %+.2f dB", $0.quality.psnr - base.psnr) }.joined(separator: ", ")
                       + "; gate: \(decision.reason)"))
            }
        }
        return Report(clips: clips, options: options, units: units)
    }

    /// The unit's frames rendered as restore renders them (tiles, 8-bit file) against the reference.
    static func quality(of model: SRModel, on frames: EvaluationFrames, scenes: [Scene], options: RestoreOptions, lpips: LPIPS) throws -> Quality {
        let upscaler = TiledUpscaler(model: model, tileSize: options.tileSize, overlap: UpscaleJob.defaultOverlap(options.model))
        let processor = SuperResolutionProcessor(upscaler: upscaler)
        var psnr = 0.0, ssim = 0.0, perceptual = 0.0, temporal = 0.0, count = 0, pairs = 0
        for scene in scenes {
            var previous: (restored: [Float], clean: [Float])?
            for frame in frames.frames where scene.firstFrame <= frame.index && frame.index <= scene.lastFrame {
                let rendered = EvaluationFrames.roundedTo8Bits(try processor.upscale(frame.lr))
                let measured = try VideoComparison.quality(of: Tensor(rendered), frame: frame.index, reference: frame.reference, lpips: lpips, niqe: nil)
                psnr += measured.psnr
                ssim += measured.ssim
                perceptual += measured.lpips
                count += 1
                let luma = (restored: VideoComparison.luma(rendered), clean: VideoComparison.luma(RGBImage(frame.reference)))
                if let previous {
                    temporal += VideoComparison.temporalError(luma, previous: previous)
                    pairs += 1
                }
                previous = luma
            }
        }
        let frameCount = Double(max(1, count))
        return Quality(psnr: psnr / frameCount, ssim: ssim / frameCount, lpips: perceptual / frameCount, temporalError: temporal / Double(max(1, pairs)))
    }
}
