import Engine

/// Decides, per adaptation unit and without ground truth, whether adapted weights are rendered
/// and which. The candidates are the checkpoints, each moved back towards the pretrained weights
/// (a share of its change kept, as WiSE-FT interpolates fine-tuned and original weights: most of
/// the gain, less of the damage). On frame pairs fine-tuning never saw, a candidate is accepted
/// only when its self-supervised loss, the detail it adds in flat areas, the frame-to-frame
/// change of its output and its disagreement with the LR when shrunk back each stay within a
/// bound of the pretrained weights'. Among accepted candidates the preference picks one; with
/// none, or no evidence, the pretrained weights are rendered: a restore must never be silently
/// worse than the plain upscaler.
///
/// The defaults are what `filmsr lab bench gate`'s grid search chose on the tuning clips (the reel,
/// the tape, and the development set's blur and grain; README "Acceptance gate"): the best mean
/// gain with no tuning scene more than 0.1 dB or 0.01 LPIPS worse than unadapted. Half of each
/// checkpoint's change; the loss may rise (removing the LR's noise reproduces a noisy LR worse)
/// but not double; at most 40% more detail in flat areas and 5% more frame-to-frame change;
/// no back-projection rule.
public struct AcceptanceOptions: Codable, Equatable, Sendable {
    /// Off: render what fine-tuning (and its stop rule) kept, as before the gate.
    public var enabled = true
    /// A candidate checkpoint every this many iterations, and the stop rule's choice.
    public var checkpointInterval = 25
    /// Each checkpoint is a candidate with these shares of its change from the pretrained
    /// weights (1: the checkpoint itself).
    public var shares: [Double] = [0.5]
    /// Consecutive frame pairs per unit to measure on.
    public var evidencePairs = 4
    /// Largest relative change of the self-supervised loss on the evidence frames (negative: the
    /// loss must fall by at least that share; -1 cannot be met).
    public var maximumLossChange = 1.0
    /// Largest relative increase of the high-pass energy in the pretrained output's flat areas.
    public var maximumFlatDetailChange = 0.40
    /// Largest relative increase of the SR frames' frame-to-frame change.
    public var maximumTemporalChange = 0.05
    /// Largest relative increase of the back-projection error (SR shrunk back against LR).
    public var maximumBackProjectionChange = AcceptanceOptions.unlimited
    /// Which accepted candidate is rendered.
    public var preference = Preference.lowestLoss

    /// A threshold no relative change reaches: the rule is off (finite, for JSON).
    public static let unlimited = 1e6

    public enum Preference: String, Codable, CaseIterable, Sendable {
        /// The lowest self-supervised loss on the evidence frames.
        case lowestLoss = "lowest-loss"
        /// The lowest frame-to-frame change of the SR output, the signal that ranks the true
        /// change best on the development set (README "Acceptance gate").
        case steadiest
    }

    public init() {}

    /// Options written before a field existed read as its default (job files, studies).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T { try container.decodeIfPresent(T.self, forKey: key) ?? fallback }
        let defaults = AcceptanceOptions()
        enabled = try value(.enabled, defaults.enabled)
        checkpointInterval = try value(.checkpointInterval, defaults.checkpointInterval)
        shares = try value(.shares, defaults.shares)
        evidencePairs = try value(.evidencePairs, defaults.evidencePairs)
        maximumLossChange = try value(.maximumLossChange, defaults.maximumLossChange)
        maximumFlatDetailChange = try value(.maximumFlatDetailChange, defaults.maximumFlatDetailChange)
        maximumTemporalChange = try value(.maximumTemporalChange, defaults.maximumTemporalChange)
        maximumBackProjectionChange = try value(.maximumBackProjectionChange, defaults.maximumBackProjectionChange)
        preference = try value(.preference, defaults.preference)
    }

    public func validate() throws {
        guard checkpointInterval >= 1 else { throw PipelineError("the gate's checkpoint interval must be at least 1 (got \(checkpointInterval))") }
        guard evidencePairs >= 1 else { throw PipelineError("the gate needs at least 1 evidence pair (got \(evidencePairs))") }
        guard !shares.isEmpty, shares.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw PipelineError("the gate's shares of adaptation must lie in (0, 1] (got \(shares.map { String($0) }.joined(separator: ",")))")
        }
    }
}

/// A candidate's measurement against the pretrained weights', each as a relative change
/// (candidate / pretrained - 1): positive is the direction of harm for all four. The change
/// measures (detail removed, change coherence) are the candidate's own, against the pretrained
/// output; nil in studies recorded before they existed.
public struct AcceptanceSignals: Codable, Equatable, Sendable {
    public var lossChange: Double
    public var flatDetailChange: Double
    public var temporalChange: Double
    public var backProjectionChange: Double
    public var detailRemoved: Double?
    public var changeCoherence: Double?

    public init(_ candidate: AcceptanceEvidence.Measurement, against pretrained: AcceptanceEvidence.Measurement) {
        func change(_ value: Double, _ base: Double) -> Double { base > 0 ? value / base - 1 : 0 }
        lossChange = change(candidate.selfSupervisedLoss, pretrained.selfSupervisedLoss)
        flatDetailChange = change(candidate.flatDetailEnergy, pretrained.flatDetailEnergy)
        temporalChange = change(candidate.temporalEnergy, pretrained.temporalEnergy)
        backProjectionChange = change(candidate.backProjectionError, pretrained.backProjectionError)
        detailRemoved = candidate.detailRemoved
        changeCoherence = candidate.changeCoherence
    }

    public static let names = ["lossChange", "flatDetailChange", "temporalChange", "backProjectionChange", "detailRemoved", "changeCoherence"]
    public var values: [Double?] { [lossChange, flatDetailChange, temporalChange, backProjectionChange, detailRemoved, changeCoherence] }
}

/// What the gate decided for one unit, and why; kept in the unit's summary and shown in the report.
public struct AcceptanceDecision: Codable, Equatable, Sendable {
    public struct Candidate: Codable, Equatable, Sendable {
        public var iteration: Int
        /// The share of the checkpoint's change from the pretrained weights.
        public var share: Double
        public var measurement: AcceptanceEvidence.Measurement
        public var signals: AcceptanceSignals
        /// nil: accepted; else the first rule it broke.
        public var rejection: String?
    }

    public var pretrained: AcceptanceEvidence.Measurement?
    public var candidates: [Candidate]
    /// The iterations after which the rendered weights were taken; 0: the pretrained weights.
    public var keptIteration: Int
    /// The share of that checkpoint's change that was rendered (0 with the pretrained weights).
    public var keptShare: Double
    public var reason: String

    /// Whether the candidate of `iteration` at `share` is the one rendered.
    public func keeps(iteration: Int, share: Double) -> Bool {
        keptIteration > 0 && iteration == keptIteration && share == keptShare
    }
}

/// A candidate with its signals, as the gate chooses among them: in a decision, or in a study.
public protocol MeasuredCandidate {
    var iteration: Int { get }
    var share: Double { get }
    var signals: AcceptanceSignals { get }
}

extension AcceptanceDecision.Candidate: MeasuredCandidate {}

public struct AcceptanceGate {
    public let options: AcceptanceOptions

    public init(_ options: AcceptanceOptions) { self.options = options }

    /// Why `signals` are not enough to render a candidate, or nil when they are.
    public func rejection(_ signals: AcceptanceSignals) -> String? {
        func percent(_ value: Double) -> String { String(format: "%+.1f%%", 100 * value) }
        if signals.lossChange > options.maximumLossChange {
            return "loss on unseen frames \(percent(signals.lossChange)), needs \(percent(options.maximumLossChange)) or lower"
        }
        if signals.flatDetailChange > options.maximumFlatDetailChange {
            return "detail added in flat areas \(percent(signals.flatDetailChange)) > \(percent(options.maximumFlatDetailChange))"
        }
        if signals.temporalChange > options.maximumTemporalChange {
            return "frame-to-frame change \(percent(signals.temporalChange)) > \(percent(options.maximumTemporalChange))"
        }
        if signals.backProjectionChange > options.maximumBackProjectionChange {
            return "back-projection error \(percent(signals.backProjectionChange)) > \(percent(options.maximumBackProjectionChange))"
        }
        return nil
    }

    /// Measures the pretrained weights and each candidate on `evidence` with `model` (whose
    /// weights it changes: the caller loads the chosen ones afterwards), and decides.
    /// `loss(lr)`: the self-supervised loss of the weights in the model (AcceptanceEvidence.measure).
    public func decide(
        model: SRModel, pretrained: WeightSet, candidates: [AcceptanceCandidate],
        evidence: inout AcceptanceEvidence, loss: (Tensor) throws -> Double
    ) throws -> AcceptanceDecision {
        guard !evidence.isEmpty else {
            return AcceptanceDecision(
                pretrained: nil, candidates: [], keptIteration: 0, keptShare: 0,
                reason: "pretrained: no frame left to test the adaptation on")
        }
        model.graph.load(pretrained)
        let base = try evidence.measure(model, loss: loss)
        var measured: [AcceptanceDecision.Candidate] = []
        for candidate in candidates {
            model.graph.load(candidate.weights)
            let measurement = try evidence.measure(model, loss: loss)
            let signals = AcceptanceSignals(measurement, against: base)
            measured.append(
                .init(
                    iteration: candidate.iteration, share: candidate.share, measurement: measurement, signals: signals,
                    rejection: rejection(signals)))
        }
        let (chosen, reason) = choose(among: measured)
        let kept = chosen.map { measured[$0] }
        return AcceptanceDecision(
            pretrained: base, candidates: measured, keptIteration: kept?.iteration ?? 0,
            keptShare: kept?.share ?? 0, reason: reason)
    }

    /// The candidate to render, by its signals: among those no rule rejects, the one the
    /// preference ranks first; nil (the pretrained weights) when every one is rejected. Returns
    /// the reason too.
    public func choose(_ candidates: [AcceptanceSignals], labels: [String]) -> (index: Int?, reason: String) {
        let rank: (AcceptanceSignals) -> Double =
            switch options.preference {
            case .lowestLoss: \.lossChange
            case .steadiest: \.temporalChange
            }
        let ranked = candidates.indices.sorted { rank(candidates[$0]) < rank(candidates[$1]) }
        if let accepted = ranked.first(where: { rejection(candidates[$0]) == nil }) {
            let signals = candidates[accepted]
            return (
                accepted,
                String(
                    format: "%@: loss on unseen frames %+.1f%%, flat-area detail %+.1f%%, frame-to-frame change %+.1f%%",
                    labels[accepted], 100 * signals.lossChange, 100 * signals.flatDetailChange, 100 * signals.temporalChange)
            )
        }
        guard let closest = ranked.first else { return (nil, "pretrained: no candidate") }
        return (nil, "pretrained: best candidate (\(labels[closest])) rejected, \(rejection(candidates[closest]) ?? "")")
    }

    /// The candidate to render, by `choose`, among those at the options' shares (candidates at
    /// other shares, which a study measures too, are never chosen): an index into `candidates`.
    public func choose(among candidates: [some MeasuredCandidate]) -> (index: Int?, reason: String) {
        let allowed = candidates.indices.filter { options.shares.contains(candidates[$0].share) }
        let chosen = choose(
            allowed.map { candidates[$0].signals }, labels: allowed.map { Self.label(candidates[$0].iteration, candidates[$0].share) })
        return (chosen.index.map { allowed[$0] }, chosen.reason)
    }

    /// "iteration 75" or "iteration 75 at 50%".
    public static func label(_ iteration: Int, _ share: Double) -> String {
        share == 1 ? "iteration \(iteration)" : String(format: "iteration %d at %.0f%%", iteration, 100 * share)
    }
}
