import Pipeline

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

extension AdaptationVariant {
    /// The names `options(named:)` takes: a variant, or a variant with "+far" (the regulariser
    /// added to it: "lway+far" is the follow-up paper's LWay+FAR).
    public static let namesHelp = allCases.map(\.rawValue).joined(separator: ", ") + ", each optionally followed by +far"

    /// `base` changed by the variant named `name` (see `namesHelp`); nil for an unknown name.
    public static func options(named name: String, base: RestoreOptions) -> RestoreOptions? {
        let regularised = name.hasSuffix("+far")
        guard let variant = AdaptationVariant(rawValue: regularised ? String(name.dropLast(4)) : name) else { return nil }
        var options = base
        variant.apply(to: &options)
        if regularised { options.adaptation.featureAlignmentWeight = featureAlignmentWeight }
        return options
    }
}
