import Engine
import Foundation

/// Runs one task of a planned restore in this process, as a cluster node or GNU parallel does:
/// the plan, scenes, units and weights all come from the work folder, so tasks of one job may
/// run on several hosts sharing it. A task holds the job's lock shared (no whole-job run can
/// start meanwhile) and its own exclusively (no second worker does the same task); a finished
/// task is never redone, and everything it writes appears under its final name only when whole.
public enum RestoreWorker {
    public static func run(_ task: RestoreTask, work: String, events: JobEvents = { _ in }) throws {
        let plan = try RestorePlan.read(work: work)
        let folder = RestoreWorkFolder(work)
        let jobLock = try WorkLock(folder.jobLock, .shared, what: "work folder \(work)")
        let taskLock = try WorkLock(folder.stageLock(task.name), .exclusive, what: "\(task) of \(work)")
        defer { withExtendedLifetime((jobLock, taskLock)) {} }
        if let unit = task.unit, !(0..<plan.units).contains(unit) {
            throw PipelineError("\(work): unit \(unit) does not exist (the plan has units 0 to \(plan.units - 1))")
        }
        switch task {
        case .adapt(let index):
            let networks = try AdaptationNetworks(options: plan.options, resources: plan.resources)
            let units = try folder.readUnits()
            if try RestoreJob.adaptIfNeeded(units[index], plan, scenes: try folder.readScenes(), networks: networks,
                                            folder: folder, events: events) == nil {
                events(.message("\(task): done by an earlier run"))
            }
        case .render(let index):
            guard FileManager.default.fileExists(atPath: folder.weights(unit: index)) else {
                throw PipelineError("\(work): unit \(index) is not adapted yet: its render waits for it")
            }
            let started = Date()
            let model = try SRModelSpec.named(plan.options.model).load(from: plan.resources.modelsDirectory)
            let processor = RestoreJob.renderer(plan, scenes: try folder.readScenes(), units: try folder.readUnits(), model: model,
                                                pretrained: model.graph.snapshot(), folder: folder)
            try RestoreJob.render(plan, segments: plan.segmentsOfUnit[index], processor: processor, folder: folder, events: events)
            try String(format: "%.3f\n", Date().timeIntervalSince(started))
                .write(toFile: folder.renderSeconds(unit: index), atomically: true, encoding: .utf8)
        case .join:
            if try RestoreJob.finishedFilm(plan, folder: folder) != nil {
                events(.message("join: \(plan.output) is complete"))
                return
            }
            let renderSeconds = (0..<plan.units).compactMap { folder.recordedRenderSeconds(unit: $0) }.reduce(0, +)
            try RestoreJob.join(plan, folder: folder, renderSeconds: renderSeconds)
            var page = RestoreReport(input: plan.input, output: plan.output, options: plan.options, scenes: try folder.readScenes(),
                                     units: try folder.readUnits(), folder: folder)
            page.renderSeconds = renderSeconds
            try page.write()
            events(.message("join: \(plan.output) written"))
        }
    }
}
