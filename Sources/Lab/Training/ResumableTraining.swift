import Engine
import Foundation
import Pipeline

/// The options of a resumable training run: what the loop needs, and what a resume must keep.
protocol ResumableTrainingOptions: Codable, Equatable {
    var steps: Int { get set }
    var checkpointEvery: Int { get }
    var validateEvery: Int { get }
}

extension ResumableTrainingOptions {
    /// The same run apart from its length (a resumed run may train longer).
    func isContinuation(of other: Self) -> Bool {
        var other = other
        other.steps = steps
        return other == self
    }
}

/// One step's row of the loss log: the columns between the step and the seconds of training
/// so far, those after the seconds, and the loss the progress line shows.
struct TrainingStepRecord {
    var columns: [String]
    var trailingColumns: [String] = []
    var loss: Double
}

/// The loop both pretrainings share (`lab train recon`, `lab train far`): steps up to the
/// options' count or a session's limit, the loss log with the seconds of training so far, a
/// checkpoint every few steps and at a session's end, held-out measurements in the validation
/// log, and progress events. A trainer makes every batch from (seed, step) alone and saves its
/// optimiser moments in the checkpoint, so a resumed run trains exactly as an uninterrupted one.
struct ResumableTraining<Options: ResumableTrainingOptions> {
    let options: Options
    let folder: TrainingWorkFolder
    /// The progress events' stage: "train recon".
    let stage: String
    /// Where the seconds of training so far sit in the loss log's rows (0-based).
    var secondsColumn: Int

    /// Takes `folder` for a run with `options`, or refuses one that holds another run.
    static func claim(_ folder: TrainingWorkFolder, for options: Options) throws {
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        if let data = FileManager.default.contents(atPath: folder.options) {
            guard let saved = try? JSONDecoder().decode(Options.self, from: data) else {
                throw PipelineError("\(folder.options): unreadable; use another work folder")
            }
            guard options.isContinuation(of: saved) else {
                throw PipelineError("\(folder.path): holds a run with other options; resume it with the same options or use another work folder")
            }
        }
        try JSONEncoder.sorted.encode(options).write(to: URL(fileURLWithPath: folder.options), options: .atomic)
    }

    /// The options as the result's and the checkpoint's metadata keep them.
    var optionsJSON: String {
        get throws { String(decoding: try JSONEncoder.sorted.encode(options), as: UTF8.self) }
    }

    /// Trains from step `start` up to `options.steps` (or `stepLimit`, for a job that has to fit a
    /// time slot); returns the steps done. `step(k)` trains step k; `validate(done)` measures the
    /// held-out set after `done` steps (its columns for the validation log, and a line for the
    /// events); `checkpoint(done)` saves. With `validatesUntrained`, the starting point is
    /// measured once too.
    func run(from start: Int, stoppingAfter stepLimit: Int?, validatesUntrained: Bool = false, events: JobEvents,
             step: (Int) throws -> TrainingStepRecord,
             validate: (Int) throws -> (columns: [String], message: String),
             checkpoint: (Int) throws -> Void) throws -> Int {
        func measure(_ done: Int) throws {
            let (columns, message) = try validate(done)
            try TabularLog.append(folder.validationLog, [String(done)] + columns)
            events(.message(message))
        }
        if validatesUntrained, try TabularLog.lastValue(folder.validationLog, column: 0) == nil { try measure(start) }
        let startSeconds = try TabularLog.lastValue(folder.lossLog, column: secondsColumn) ?? 0
        let started = Date()
        var recent: [Double] = []
        var done = start
        while done < min(options.steps, stepLimit ?? .max) {
            let record = try step(done)
            try TabularLog.append(folder.lossLog, [String(done)] + record.columns
                                  + [String(format: "%.1f", startSeconds + Date().timeIntervalSince(started))] + record.trailingColumns)
            done += 1
            recent = Array((recent + [record.loss]).suffix(20))
            events(.progress(JobProgress(stage: stage, done: done, total: options.steps,
                                         detail: String(format: "loss %.4f", recent.reduce(0, +) / Double(recent.count)))))
            if done % options.checkpointEvery == 0 || done == options.steps { try checkpoint(done) }
            if done % options.validateEvery == 0 || done == options.steps { try measure(done) }
        }
        events(.stageFinished(stage))
        if done < options.steps { try checkpoint(done) }
        return done
    }
}
