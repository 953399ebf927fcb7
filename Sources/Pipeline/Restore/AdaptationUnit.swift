/// Scenes that share one adapted set of weights, and the frames they adapt on.
public struct AdaptationUnit: Codable, Equatable, Sendable {
    public var index: Int
    public var scenes: [Int]
    public var frames: [Int]
    /// First frames of the consecutive pairs the acceptance gate measures on (EvidenceFrames).
    public var evidence: [Int] = []
}
