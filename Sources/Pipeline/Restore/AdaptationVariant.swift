/// The adaptation variants the ablation compares, each a change to the restore options.
public enum AdaptationVariant: String, CaseIterable, Sendable {
    /// LWay as published: R(S(LR), E(LR)) against LR itself.
    case lway
    /// LWay against the aligned neighbouring frame (AdaptationTarget.neighbour).
    case neighbour

    public func apply(to options: inout RestoreOptions) {
        switch self {
        case .lway: options.adaptation.target = .same
        case .neighbour: options.adaptation.target = .neighbour
        }
    }
}
