/// Which weights rendered a unit's scenes, as the report pages tell a restorer: the adapted ones
/// (and which checkpoint), the pretrained ones, or none yet; with the reason, from the unit's summary.
enum RenderedWeights: Equatable {
    case notAdaptedYet
    case adapted(checkpoint: String, reason: String)
    case pretrained(reason: String)

    init(_ summary: AdaptationUnitSummary?) {
        guard let summary else {
            self = .notAdaptedYet
            return
        }
        if let decision = summary.acceptance {
            let checkpoint = AcceptanceGate.label(decision.keptIteration, decision.keptShare)
            self = decision.keptIteration == 0 ? .pretrained(reason: decision.reason) : .adapted(checkpoint: checkpoint, reason: decision.reason)
        } else if let kept = summary.keptIteration {
            self =
                kept == 0
                ? .pretrained(reason: "stop rule: the held-out loss never fell below the pretrained weights' (gate off)")
                : .adapted(checkpoint: "iteration \(kept)", reason: "stop rule's choice: lowest held-out loss (gate off)")
        } else {
            self = .adapted(checkpoint: "iteration \(summary.iterations)", reason: "the last iteration (no held-out frames, gate off)")
        }
    }

    /// The page's class for its colour.
    var style: String {
        switch self {
        case .notAdaptedYet: "pending"
        case .adapted: "adapted"
        case .pretrained: "pretrained"
        }
    }

    /// "adapted, iteration 40", "pretrained" or "not adapted yet".
    var summary: String {
        switch self {
        case .notAdaptedYet: "not adapted yet"
        case .adapted(let checkpoint, _): "adapted, \(checkpoint)"
        case .pretrained: "pretrained"
        }
    }

    var reason: String {
        switch self {
        case .notAdaptedYet: ""
        case .adapted(_, let reason), .pretrained(let reason): reason
        }
    }
}
