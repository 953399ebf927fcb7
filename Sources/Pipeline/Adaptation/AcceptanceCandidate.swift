import Engine

/// Weights the gate may render: a checkpoint, or the pretrained weights moved `share` of the
/// way to it.
public struct AcceptanceCandidate {
    public var iteration: Int
    public var share: Double
    public var values: [Tensor]

    public init(iteration: Int, share: Double = 1, values: [Tensor]) {
        self.iteration = iteration
        self.share = share
        self.values = values
    }

    /// pretrained + share * (checkpoint - pretrained), parameter by parameter (the checkpoint
    /// itself, bit for bit, at share 1).
    public init(iteration: Int, share: Double, checkpoint: [Tensor], pretrained: [Tensor]) {
        precondition(checkpoint.count == pretrained.count, "a checkpoint and the pretrained weights of other networks")
        guard share != 1 else {
            self.init(iteration: iteration, values: checkpoint)
            return
        }
        let values = zip(checkpoint, pretrained).map { checkpoint, pretrained in
            let value = pretrained.copy()
            value.add(checkpoint, scale: Float(share))
            value.add(pretrained, scale: -Float(share))
            return value
        }
        self.init(iteration: iteration, share: share, values: values)
    }
}
