/// A job that cannot go on: a work folder, a checkpoint or an option that does not fit.
/// The message is one line naming the file and the problem.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
