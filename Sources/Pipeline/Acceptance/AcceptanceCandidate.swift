import Engine

/// Weights the gate may render: a checkpoint, or the pretrained weights moved `share` of the
/// way to it.
public struct AcceptanceCandidate {
    public var iteration: Int
    public var share: Double
    public var weights: WeightSet

    public init(iteration: Int, share: Double = 1, weights: WeightSet) {
        self.iteration = iteration
        self.share = share
        self.weights = weights
    }

    /// pretrained + share * (checkpoint - pretrained), parameter by parameter (the checkpoint
    /// itself, bit for bit, at share 1).
    public init(iteration: Int, share: Double, checkpoint: WeightSet, pretrained: WeightSet) {
        self.init(iteration: iteration, share: share, weights: pretrained.moved(toward: checkpoint, share: share))
    }
}
