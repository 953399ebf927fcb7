import Engine

/// The settings of LWay's self-supervised fine-tuning of an SR model on one scene (or group).
public struct AdaptationOptions: Codable, Equatable, Sendable {
    public var iterations = 100
    /// LR patches per iteration (LWay: 6).
    public var batchSize = 6
    /// LR patch side: at least 32 (LPIPS and the degradation encoder need it).
    public var lrPatchSize = 48
    /// Adam's learning rate (LWay: 2e-6 to 5e-5).
    public var learningRate: Float = 1e-5
    /// loss = weighted L1 + lpipsWeight * weighted LPIPS.
    public var lpipsWeight: Float = 1
    public var tuned = TunedParameters.all
    /// Neighbour by default: with LR itself as target, S learns to copy the film's grain (measured
    /// on the reel: -0.48 dB against +0.20 dB; README).
    public var target = AdaptationTarget.neighbour
    /// HR-aware controller (QualityController): needs a branch trained with one.
    public var controller = false
    /// Weight of the feature-alignment regulariser on S's outputs (FeatureAlignmentRegulariser);
    /// 0: off.
    public var featureAlignmentWeight: Float = 0
    /// Render with an exponential moving average of the weights when set (e.g. 0.99).
    public var emaDecay: Float?
    /// The stop rule (HeldOutValidation): this share of the frames is held out, and every
    /// `validationInterval` iterations the loss on fixed patches of them is measured with the
    /// weights that would be rendered. The best weights measured (the pretrained ones included)
    /// are kept, and training stops after `patience` measurements without improvement (0: runs
    /// every iteration). No ground truth is involved.
    public var heldOutShare = 0.25
    public var validationInterval = 10
    public var patience = 3
    public var seed: UInt64 = 1

    public init() {}

    /// Refuses, before any work, options that cannot run with these networks; changes nothing.
    public func validate(model: SRModel, branch: ReconstructionBranch, regulariser: FeatureAlignmentRegulariser?) throws {
        guard model.scale == branch.configuration.scale else {
            throw PipelineError("model \(model.name) upscales x\(model.scale) but the reconstruction branch was trained for x\(branch.configuration.scale)")
        }
        guard lrPatchSize >= max(LPIPS.minimumSize, branch.minimumLRSize) + 1 else {
            throw PipelineError("LR patches of \(lrPatchSize) pixels are too small: LPIPS and the degradation encoder need at least 32")
        }
        guard !controller || branch.qualityHead != nil else {
            throw PipelineError("the reconstruction branch has no controller head: use one trained with filmsr lab train recon --controller")
        }
        guard featureAlignmentWeight == 0 || regulariser != nil else {
            throw PipelineError("feature alignment needs the regulariser's weights (filmsr lab train far)")
        }
        _ = try tuned.choose(in: model.graph.parameters)
    }
}
