/// One piece of a planned restore that a process can run on its own, given only the work
/// folder: adapt unit k, render unit k's segments, or join the film.
public enum RestoreTask: Equatable, Sendable, CustomStringConvertible {
    case adapt(unit: Int)
    case render(unit: Int)
    case join

    /// The stage's name as scripts and file names spell it: adapt, render, join.
    public var stage: String {
        switch self {
        case .adapt: "adapt"
        case .render: "render"
        case .join: "join"
        }
    }

    public var unit: Int? {
        switch self {
        case .adapt(let unit), .render(let unit): unit
        case .join: nil
        }
    }

    /// "adapt-3": the name of its lock, log and attempt records.
    public var name: String { unit.map { "\(stage)-\($0)" } ?? stage }

    public var description: String { unit.map { "\(stage) of unit \($0)" } ?? stage }

    /// From a stage name and, for adapt and render, a unit index.
    public init(stage: String, unit: Int?) throws {
        switch (stage, unit) {
        case ("adapt", let unit?): self = .adapt(unit: unit)
        case ("render", let unit?): self = .render(unit: unit)
        case ("join", nil): self = .join
        case ("adapt", nil), ("render", nil): throw PipelineError("\(stage) needs a unit index")
        case ("join", _?): throw PipelineError("join takes no unit index")
        default: throw PipelineError("'\(stage)' is not a restore stage: adapt, render or join")
        }
    }
}
