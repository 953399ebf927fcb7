/// The adaptation variants the ablation compares, each a change to the restore options.
public enum AdaptationVariant: String, CaseIterable, Sendable {
    /// LWay as published: R(S(LR), E(LR)) against LR itself.
    case lway
    /// LWay against the aligned neighbouring frame (AdaptationTarget.neighbour).
    case neighbour
    /// Neighbour with the HR-aware controller (QualityController).
    case controller

    public func apply(to options: inout RestoreOptions) {
        options.adaptation.target = self == .lway ? .same : .neighbour
        options.adaptation.controller = self == .controller
    }
}
