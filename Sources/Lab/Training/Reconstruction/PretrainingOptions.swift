/// Everything that decides a pretraining run of the reconstruction branch. Stored in its work
/// folder: a run resumes only with the same options (the step count may grow).
public struct PretrainingOptions: ResumableTrainingOptions, Sendable {
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
    /// Weight of the family classifier's cross-entropy (only with
    /// `configuration.familyClassifier`).
    public var familyWeight: Float = 0.01
    /// Weight of the PSNR loss (mean per-item -PSNR in dB, Loss.negativePSNR) added to
    /// L1 + LPIPS. L1 barely notices an item R already nearly gets right (a flat patch, a mild
    /// blur), whose PSNR a small offset ruins; this term weighs each item by its own error.
    public var psnrWeight: Float = 0
    /// Weight of neighbourhood components analysis on E's embeddings, by degradation family
    /// (Loss.neighbourhoodComponents, cosine, temperature 0.1): what makes the families
    /// separable by nearest neighbours, which `lab evaluate recon` measures.
    public var neighbourhoodWeight: Float = 0
    /// A trained branch a new run starts from: every weight it has by the same name (E, R, a
    /// controller head) is copied, what it lacks (a new head, R's gate) starts fresh. How the
    /// controller branch continues the committed one.
    public var initialBranch: String?
    public var checkpointEvery = 50
    /// Held-out PSNR is measured (and logged) this often.
    public var validateEvery = 250

    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = try container.decode(ReconstructionConfiguration.self, forKey: .configuration)
        steps = try container.decode(Int.self, forKey: .steps)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        lrPatchSize = try container.decode(Int.self, forKey: .lrPatchSize)
        learningRate = try container.decode(Float.self, forKey: .learningRate)
        lpipsWeight = try container.decode(Float.self, forKey: .lpipsWeight)
        seed = try container.decode(UInt64.self, forKey: .seed)
        // Runs started before the controller, the family classifier, the PSNR loss or the
        // neighbourhood loss existed have the defaults.
        controllerWeight = try container.decodeIfPresent(Float.self, forKey: .controllerWeight) ?? controllerWeight
        familyWeight = try container.decodeIfPresent(Float.self, forKey: .familyWeight) ?? familyWeight
        psnrWeight = try container.decodeIfPresent(Float.self, forKey: .psnrWeight) ?? psnrWeight
        neighbourhoodWeight = try container.decodeIfPresent(Float.self, forKey: .neighbourhoodWeight) ?? neighbourhoodWeight
        initialBranch = try container.decodeIfPresent(String.self, forKey: .initialBranch)
        checkpointEvery = try container.decode(Int.self, forKey: .checkpointEvery)
        validateEvery = try container.decode(Int.self, forKey: .validateEvery)
    }

    /// The learning rate at `step` (0-based).
    func learningRate(at step: Int) -> Float {
        CosineDecay.learningRate(peak: learningRate, step: step, steps: steps)
    }
}

import Foundation
import Pipeline
