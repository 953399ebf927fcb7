import Pipeline

/// Everything that decides a pretraining run of the feature-alignment regulariser. Stored in
/// its work folder: a run resumes only with the same options (the step count may grow).
public struct FeatureAlignmentTrainingOptions: ResumableTrainingOptions, Sendable {
    public var steps = 2000
    public var batchSize = 16
    /// Side of the square HR patches. At 96, F's conv2 map is 11x11: enough positions for a
    /// Gram of 192 channels to mean something, while a step stays cheap.
    public var patchSize = 96
    /// Peak Adam learning rate, decayed along a cosine to a tenth of it at the last step.
    public var learningRate: Float = 1e-3
    public var seed: UInt64 = 1
    /// Clean training patches F's statistics are standardised over, once, before step 0.
    public var calibrationPatches = 512
    public var checkpointEvery = 100
    /// The held-out alignment loss is measured (and logged) this often.
    public var validateEvery = 100

    public init() {}

    /// The learning rate at `step` (0-based).
    func learningRate(at step: Int) -> Float {
        CosineDecay.learningRate(peak: learningRate, step: step, steps: steps)
    }
}
