import Engine

/// The networks a restore needs, loaded once: the SR model to adapt and render with, the frozen
/// reconstruction branch, LPIPS, and the feature-alignment regulariser when its weight is on.
/// Shared by restore's stages and the lab's benchmarks.
package struct AdaptationNetworks {
    package let model: SRModel
    package let branch: ReconstructionBranch
    package let lpips: LPIPS
    package let regulariser: FeatureAlignmentRegulariser?
    /// The model's weights as loaded, before any adaptation.
    package let pretrained: WeightSet

    package init(options: RestoreOptions, resources: RestoreJob.Resources) throws {
        model = try SRModelSpec.named(options.model).load(from: resources.modelsDirectory)
        branch = try ReconstructionBranch.load(from: resources.branchPath(controller: options.adaptation.controller)).branch
        lpips = try LPIPS.load(from: resources.lpipsWeights)
        regulariser = options.adaptation.featureAlignmentWeight > 0
            ? try FeatureAlignmentRegulariser.load(from: resources.featureAlignmentWeights, lpips: resources.lpipsWeights) : nil
        pretrained = model.graph.snapshot()
        try options.adaptation.validate(model: model, branch: branch, regulariser: regulariser)
    }
}
