/// Everything that decides a pretraining run of the reconstruction branch. Stored in its work
/// folder: a run resumes only with the same options (the step count may grow).
public struct PretrainingOptions: Codable, Equatable, Sendable {
    public var configuration = ReconstructionConfiguration()
    public var steps = 3000
    public var batchSize = 8
    /// LR patch side; HR patches are `scale` times larger.
    public var lrPatchSize = 48
    /// Peak Adam learning rate, decayed along a cosine to a tenth of it at the last step.
    public var learningRate: Float = 2e-4
    /// loss = L1 + lpipsWeight * LPIPS, as LWay trains R (the paper gives no weight). At 1, R
    /// learns to paint an average grain and noise texture on every output (LPIPS rewards it),
    /// which costs 0.6 dB of held-out PSNR at step 250 and more later; 0.1 keeps R faithful.
    public var lpipsWeight: Float = 0.1
    public var seed: UInt64 = 1
    /// Weight of the controller head's L1 regression on the true HR's quality indicator (only
    /// with `configuration.controller`).
    public var controllerWeight: Float = 0.1
    /// A trained branch whose E and R weights a new run starts from (the controller head, if
    /// any, starts fresh): how the controller branch continues the committed one.
    public var initialBranch: String?
    public var checkpointEvery = 50
    /// Held-out PSNR is measured (and logged) this often.
    public var validateEvery = 250

    public init() {}

    /// The learning rate at `step` (0-based).
    func learningRate(at step: Int) -> Float {
        CosineDecay.learningRate(peak: learningRate, step: step, steps: steps)
    }

    /// The same run apart from its length.
    func isContinuation(of other: PretrainingOptions) -> Bool {
        var other = other
        other.steps = steps
        return other == self
    }
}

import Foundation
