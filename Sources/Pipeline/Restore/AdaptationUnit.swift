/// Scenes that share one adapted set of weights, and the frames they adapt on.
public struct AdaptationUnit: Codable, Equatable, Sendable {
    public var index: Int
    public var scenes: [Int]
    public var frames: [Int]
}
