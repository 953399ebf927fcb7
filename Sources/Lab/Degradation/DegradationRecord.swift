import Pipeline

/// What was done to make one LR sample: enough to reproduce it (family and seed, given the same
/// HR) and to read it (the steps with their parameters, e.g. "jpeg 61").
public struct DegradationRecord: Codable, Equatable, Sendable {
    public var family: DegradationFamily
    public var seed: UInt64
    public var steps: [String]

    public init(family: DegradationFamily, seed: UInt64, steps: [String]) {
        self.family = family
        self.seed = seed
        self.steps = steps
    }
}
