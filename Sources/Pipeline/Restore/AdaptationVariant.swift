/// The adaptation variants the ablation compares, each a change to the restore options.
public enum AdaptationVariant: String, CaseIterable, Sendable {
    /// LWay as published: R(S(LR), E(LR)) against LR itself.
    case lway
    /// LWay against the aligned neighbouring frame (AdaptationTarget.neighbour).
    case neighbour
    /// Neighbour with the HR-aware controller (QualityController).
    case controller
    /// Neighbour with the feature-alignment regulariser (FeatureAlignmentRegulariser).
    case far
    /// Neighbour with both.
    case both

    /// Weight of the regulariser in the `far` and `both` variants.
    public static let featureAlignmentWeight: Float = 0.01

    public func apply(to options: inout RestoreOptions) {
        options.adaptation.target = self == .lway ? .same : .neighbour
        options.adaptation.controller = [.controller, .both].contains(self)
        options.adaptation.featureAlignmentWeight = [.far, .both].contains(self) ? Self.featureAlignmentWeight : 0
    }
}
