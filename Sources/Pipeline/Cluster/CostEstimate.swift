import Engine
import Foundation
import Media

/// What a planned restore will cost on this machine, from the plan (units, frames, sizes) and
/// speeds measured now: a few fine-tuning iterations on the first unit's own frames, and the
/// render of one of its frames at the film's size.
public struct CostEstimate: Sendable {
    public var units: Int
    public var frames: Int
    public var iterations: Int
    public var threads: Int
    public var secondsPerIteration: Double
    public var secondsPerFrame: Double
    /// Frames the acceptance gate renders per unit: every candidate on every evidence frame.
    public var gateFramesPerUnit: Int
    /// The film's running time, from which a whole feature's cost is extrapolated.
    public var seconds: Double

    public var adaptationSecondsPerUnit: Double {
        Double(iterations) * secondsPerIteration + Double(gateFramesPerUnit) * secondsPerFrame
    }
    public var adaptationCoreHours: Double { Double(units) * adaptationSecondsPerUnit * Double(threads) / 3600 }
    public var renderCoreHours: Double { Double(frames) * secondsPerFrame * Double(threads) / 3600 }

    /// A feature's running time, for the extrapolation an archive plans with.
    public static let featureSeconds = 90.0 * 60
    /// How many times this film's frames and units a 90-minute film of the same size, frame rate
    /// and cut rate would have.
    var featureScale: Double { seconds > 0 ? Self.featureSeconds / seconds : 0 }

    /// Iterations timed; the first is left out (allocation, caches).
    static let timedIterations = 3

    package static func measure(_ planned: RestoreJob.Planned) throws -> CostEstimate {
        let plan = planned.plan, networks = planned.networks
        let folder = RestoreWorkFolder(plan.resources.workFolder!)
        let unit = planned.units[0]
        var adaptation = plan.options.adaptation
        adaptation.iterations = timedIterations + 1
        adaptation.heldOutShare = 0
        let frames = try unit.frames.map { index in
            try SceneFrameSampler.adaptationFrame(index, in: UnitAdaptation.scene(of: index, in: planned.scenes), target: adaptation.target,
                                                  file: folder.frame)
        }
        let adapter = try LWayAdapter(model: networks.model, branch: networks.branch, lpips: networks.lpips, options: adaptation,
                                      regulariser: networks.regulariser)
        var times: [Double] = []
        var last = Date()
        _ = try adapter.adapt(frames: frames) { _, _ in
            times.append(Date().timeIntervalSince(last))
            last = Date()
        }
        networks.model.graph.load(networks.pretrained)
        let processor = RestoreJob.renderer(plan, scenes: planned.scenes, units: planned.units, model: networks.model,
                                            pretrained: networks.pretrained, folder: folder)
        let picture = RGBImage(try Tensor(pictureAt: folder.frame(unit.frames[0])))
        let started = Date()
        _ = try processor.upscale(picture, with: .pretrained)
        let acceptance = plan.options.acceptance
        let checkpoints = acceptance.enabled ? plan.options.adaptation.iterations / acceptance.checkpointInterval + 1 : 0
        return CostEstimate(units: plan.units, frames: plan.frames, iterations: plan.options.adaptation.iterations,
                            threads: BLASRuntime.threadCount, secondsPerIteration: times.dropFirst().reduce(0, +) / Double(timedIterations),
                            secondsPerFrame: Date().timeIntervalSince(started),
                            gateFramesPerUnit: checkpoints * acceptance.shares.count * acceptance.evidencePairs * 2,
                            seconds: (planned.scenes.last?.endTime ?? 0) - (planned.scenes.first?.startTime ?? 0))
    }

    /// What `filmsr submit --estimate` prints.
    public var lines: [String] {
        [String(format: "measured here at %d threads: %.3f s per fine-tuning iteration, %.3f s per rendered frame", threads, secondsPerIteration, secondsPerFrame),
         String(format: "adaptation: %d units x %.0f s = %.2f core-hours", units, adaptationSecondsPerUnit, adaptationCoreHours),
         String(format: "rendering:  %d frames x %.3f s = %.2f core-hours", frames, secondsPerFrame, renderCoreHours),
         String(format: "total:      %.2f core-hours (decoding, encoding and the stop rule's measurements not included)", adaptationCoreHours + renderCoreHours),
         String(format: "a 90-minute film of this size, frame rate and cut rate: %.0f frames, %.0f units, %.1f core-hours (%.1f h on %d cores)",
                Double(frames) * featureScale, Double(units) * featureScale, (adaptationCoreHours + renderCoreHours) * featureScale,
                (adaptationCoreHours + renderCoreHours) * featureScale / Double(threads), threads)]
    }
}
