/// What a long job tells whoever runs it. Libraries only emit these; the command line decides
/// what reaches standard output, standard error or a progress line, so a library never asks
/// whether it runs on a terminal.
public enum JobEvent: Sendable, Equatable {
    /// An outcome worth a line in a log: "5 scenes in 120 frames", a unit's gate decision.
    case message(String)
    /// Work advancing within a stage.
    case progress(JobProgress)
    /// The named stage's work is done (a progress line for it ends here).
    case stageFinished(String)
}

/// How far a stage has come: "render  120/300  scene 2/5".
public struct JobProgress: Sendable, Equatable {
    public var stage: String
    public var done: Int
    /// nil while unknown (a film whose frame count the container does not say).
    public var total: Int?
    /// What the stage is on: "scene 2/5  frame 118", "loss 0.0312".
    public var detail: String

    public init(stage: String, done: Int, total: Int?, detail: String = "") {
        self.stage = stage
        self.done = done
        self.total = total
        self.detail = detail
    }
}

/// Where a job's events go; `{ _ in }` drops them.
public typealias JobEvents = (JobEvent) -> Void
