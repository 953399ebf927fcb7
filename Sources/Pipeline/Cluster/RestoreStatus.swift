import Foundation
import Media

/// Where a planned restore stands, read from its work folder alone: for each stage, the tasks
/// done, running (their lock held) and failed for good (every attempt used), and an ETA from
/// the tasks already done.
public struct RestoreStatus: Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var total: Int
        public var done: [Int] = []
        public var running: [Int] = []
        public var failed: [Int] = []
        /// Seconds each done task took, where recorded.
        public var seconds: [Double] = []

        var waiting: Int { total - done.count - running.count - failed.count }

        /// Seconds until the stage is done at the current parallelism, from its mean task time.
        var remainingSeconds: Double? {
            let left = total - done.count
            guard left > 0 else { return 0 }
            guard !seconds.isEmpty else { return nil }
            return seconds.reduce(0, +) / Double(seconds.count) * Double(left) / Double(max(1, running.count))
        }
    }

    public var output: String
    public var adapt: Stage
    public var render: Stage
    public var joinRunning: Bool
    public var joinFailed: Bool
    public var complete: Bool

    public var hasFailed: Bool { !complete && (!adapt.failed.isEmpty || !render.failed.isEmpty || joinFailed) }

    /// Seconds until the film is complete, when the tasks done so far allow a guess.
    public var eta: Double? {
        guard !complete else { return 0 }
        guard let adapting = adapt.remainingSeconds, let rendering = render.remainingSeconds else { return nil }
        return adapting + rendering
    }

    /// Whether the planned film is in place, as the join recorded it.
    static func isComplete(_ plan: RestorePlan, folder: RestoreWorkFolder) -> Bool {
        FinishedFilm.find(plan.output, in: folder) != nil
    }

    public static func read(work: String) throws -> RestoreStatus {
        let plan = try RestorePlan.read(work: work)
        let folder = RestoreWorkFolder(work)
        let complete = isComplete(plan, folder: folder)
        let render = SegmentedRender.finishedPieces(in: folder.renderFolder, of: plan.segments.count)
        func stage(_ name: String, done: (Int) -> Bool, seconds: (Int) -> Double?) -> Stage {
            var stage = Stage(name: name, total: plan.units)
            for unit in 0..<plan.units {
                let task = try! RestoreTask(stage: name, unit: unit)
                if complete || done(unit) {
                    stage.done.append(unit)
                    if let time = seconds(unit) { stage.seconds.append(time) }
                } else if WorkLock.isHeld(folder.stageLock(task.name)) {
                    stage.running.append(unit)
                } else if FileManager.default.fileExists(atPath: folder.failedMarker(task)) {
                    stage.failed.append(unit)
                }
            }
            return stage
        }
        let adapt = stage("adapt", done: { FileManager.default.fileExists(atPath: folder.weights(unit: $0)) },
                          seconds: { (try? AdaptationUnitSummary.read(folder.unitSummary(unit: $0)))??.seconds })
        let rendered = stage("render", done: { plan.segmentsOfUnit[$0].allSatisfy(render.contains) },
                             seconds: { folder.recordedRenderSeconds(unit: $0) })
        let joinRunning = WorkLock.isHeld(folder.stageLock(RestoreTask.join.name))
        return RestoreStatus(output: plan.output, adapt: adapt, render: rendered, joinRunning: joinRunning,
                             joinFailed: !complete && !joinRunning && FileManager.default.fileExists(atPath: folder.failedMarker(.join)),
                             complete: complete)
    }

    /// What `filmsr status` prints.
    public var lines: [String] {
        func describe(_ stage: Stage) -> String {
            var parts = ["\(stage.done.count)/\(stage.total) done"]
            if !stage.running.isEmpty { parts.append("running: units " + stage.running.map(String.init).joined(separator: ",")) }
            if !stage.failed.isEmpty { parts.append("FAILED: units " + stage.failed.map(String.init).joined(separator: ",")) }
            if stage.waiting > 0 { parts.append("\(stage.waiting) waiting") }
            return stage.name.padding(toLength: 8, withPad: " ", startingAt: 0) + parts.joined(separator: ", ")
        }
        let join = complete ? "done: \(output)" : joinRunning ? "running" : joinFailed ? "FAILED" : "waiting"
        var lines = [describe(adapt), describe(render), "join    " + join]
        if !complete && !hasFailed {
            lines.append("ETA     " + (eta.map(ProgressLine.duration) ?? "unknown until a unit of each stage is done"))
        }
        return lines
    }
}
