/// A network that does not fit together: wrong shapes or a malformed description.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
