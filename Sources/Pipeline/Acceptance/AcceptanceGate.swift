import Engine

/// Decides, per adaptation unit and without ground truth, whether adapted weights are rendered
/// and which. The candidates are the checkpoints, each moved back towards the pretrained weights
/// (a share of its change kept, as WiSE-FT interpolates fine-tuned and original weights: most of
/// the gain, less of the damage). On frame pairs fine-tuning never saw, a candidate is accepted
/// only when its self-supervised loss, the detail it adds in flat areas, the frame-to-frame
/// change of its output and its disagreement with the LR when shrunk back each stay within a
/// bound of the pretrained weights', and, when its change repeats between frames, only as the
/// mildest candidate. Among accepted candidates the preference picks one; with
/// none, or no evidence, the pretrained weights are rendered: a restore must never be silently
/// worse than the plain upscaler.
///
/// The defaults are what `filmsr lab bench gate`'s grid search chose on the five tuning clips
/// (the reel, the tape, and the development set's codec, grain and blur; README "Acceptance
/// gate", docs/studies/gate-coherence.txt): the best mean gain with no tuning scene more than
/// 0.1 dB or 0.01 LPIPS worse than unadapted. Every checkpoint whole, at half and at a quarter of
/// its change; a change that repeats between frames (coherence above 0.2) only at the first
/// checkpoint's quarter; at most 40% more detail in flat areas and 5% more frame-to-frame change;
/// the loss may rise freely (removing the LR's noise reproduces a noisy LR worse); no
/// back-projection rule; the steadiest output preferred.
public struct AcceptanceOptions: Codable, Equatable, Sendable {
    /// Off: render what fine-tuning (and its stop rule) kept, as before the gate.
    public var enabled = true
    /// A candidate checkpoint every this many iterations, and the stop rule's choice.
    public var checkpointInterval = 25
    /// Each checkpoint is a candidate with these shares of its change from the pretrained
    /// weights (1: the checkpoint itself).
    public var shares: [Double] = [0.25, 0.5, 1]
    /// Consecutive frame pairs per unit to measure on.
    public var evidencePairs = 4
    /// Largest relative change of the self-supervised loss on the evidence frames (negative: the
    /// loss must fall by at least that share; -1 cannot be met).
    public var maximumLossChange = AcceptanceOptions.unlimited
    /// Largest relative increase of the high-pass energy in the pretrained output's flat areas.
    public var maximumFlatDetailChange = 0.40
    /// Largest relative increase of the SR frames' frame-to-frame change.
    public var maximumTemporalChange = 0.05
    /// Largest relative increase of the back-projection error (SR shrunk back against LR).
    public var maximumBackProjectionChange = AcceptanceOptions.unlimited
    /// Largest change coherence (ChangeMeasures) of a candidate past the mildest: a change that
    /// repeats between frames is texture taken away, a codec's pattern painted in, or real
    /// sharpening, which no signal here tells apart, so only a small step of it is trusted.
    /// Noise taken away differs from frame to frame and is what the self-supervised target is for.
    public var maximumChangeCoherence = 0.2
    /// The largest share at which a candidate with a coherent change is still rendered, and
    /// only at the first checkpoint.
    public var coherentShare = 0.25
    /// Which accepted candidate is rendered.
    public var preference = Preference.steadiest

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
        maximumChangeCoherence = try value(.maximumChangeCoherence, defaults.maximumChangeCoherence)
        coherentShare = try value(.coherentShare, defaults.coherentShare)
        preference = try value(.preference, defaults.preference)
    }

    public func validate() throws {
        guard checkpointInterval >= 1 else { throw PipelineError("the gate's checkpoint interval must be at least 1 (got \(checkpointInterval))") }
        guard evidencePairs >= 1 else { throw PipelineError("the gate needs at least 1 evidence pair (got \(evidencePairs))") }
        guard !shares.isEmpty, shares.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw PipelineError("the gate's shares of adaptation must lie in (0, 1] (got \(shares.map { String($0) }.joined(separator: ",")))")
        }
        guard coherentShare >= 0 && coherentShare <= 1 else {
            throw PipelineError("the gate's share for a coherent change must lie in [0, 1] (got \(coherentShare))")
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

    /// The rules a candidate can break, in the order they are checked.
    enum Rule { case loss, flatDetail, temporal, backProjection, coherence }

    /// The first rule `candidate` breaks, or nil when its signals are enough to render it.
    func brokenRule(_ candidate: some MeasuredCandidate) -> Rule? {
        let signals = candidate.signals
        if signals.lossChange > options.maximumLossChange { return .loss }
        if signals.flatDetailChange > options.maximumFlatDetailChange { return .flatDetail }
        if signals.temporalChange > options.maximumTemporalChange { return .temporal }
        if signals.backProjectionChange > options.maximumBackProjectionChange { return .backProjection }
        if let coherence = signals.changeCoherence, coherence > options.maximumChangeCoherence,
            candidate.share > options.coherentShare || candidate.iteration > options.checkpointInterval
        {
            return .coherence
        }
        return nil
    }

    /// Why a candidate's signals are not enough to render it, or nil when they are.
    public func rejection(_ candidate: some MeasuredCandidate) -> String? {
        let signals = candidate.signals
        func percent(_ value: Double) -> String { String(format: "%+.1f%%", 100 * value) }
        switch brokenRule(candidate) {
        case nil: return nil
        case .loss:
            return "loss on unseen frames \(percent(signals.lossChange)), needs \(percent(options.maximumLossChange)) or lower"
        case .flatDetail:
            return "detail added in flat areas \(percent(signals.flatDetailChange)) > \(percent(options.maximumFlatDetailChange))"
        case .temporal:
            return "frame-to-frame change \(percent(signals.temporalChange)) > \(percent(options.maximumTemporalChange))"
        case .backProjection:
            return "back-projection error \(percent(signals.backProjectionChange)) > \(percent(options.maximumBackProjectionChange))"
        case .coherence:
            return String(
                format: "change repeats between frames (coherence %.2f > %.2f): only the first checkpoint at %.0f%% or less",
                signals.changeCoherence ?? 0, options.maximumChangeCoherence, 100 * options.coherentShare)
        }
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
            var entry = AcceptanceDecision.Candidate(
                iteration: candidate.iteration, share: candidate.share, measurement: measurement,
                signals: AcceptanceSignals(measurement, against: base), rejection: nil)
            entry.rejection = rejection(entry)
            measured.append(entry)
        }
        let (chosen, reason) = choose(among: measured)
        let kept = chosen.map { measured[$0] }
        return AcceptanceDecision(
            pretrained: base, candidates: measured, keptIteration: kept?.iteration ?? 0,
            keptShare: kept?.share ?? 0, reason: reason)
    }

    /// The candidate to render: among those at the options' shares (a study measures others too)
    /// that no rule rejects, the one the preference ranks first; nil (the pretrained weights) when
    /// every one is rejected. `closest`: the one the preference ranks first regardless of rules.
    public func pick(among candidates: [some MeasuredCandidate]) -> (index: Int?, closest: Int?) {
        let rank: (AcceptanceSignals) -> Double =
            switch options.preference {
            case .lowestLoss: \.lossChange
            case .steadiest: \.temporalChange
            }
        let ranked = candidates.indices.filter { options.shares.contains(candidates[$0].share) }
            .sorted { rank(candidates[$0].signals) < rank(candidates[$1].signals) }
        return (ranked.first { brokenRule(candidates[$0]) == nil }, ranked.first)
    }

    /// `pick`, with the reason shown in the report: the chosen candidate's signals, or why the
    /// closest was rejected.
    public func choose(among candidates: [some MeasuredCandidate]) -> (index: Int?, reason: String) {
        func label(_ index: Int) -> String { Self.label(candidates[index].iteration, candidates[index].share) }
        let (chosen, closest) = pick(among: candidates)
        if let chosen {
            let signals = candidates[chosen].signals
            return (
                chosen,
                String(
                    format: "%@: loss on unseen frames %+.1f%%, flat-area detail %+.1f%%, frame-to-frame change %+.1f%%", label(chosen),
                    100 * signals.lossChange, 100 * signals.flatDetailChange, 100 * signals.temporalChange)
                    + (signals.changeCoherence.map { String(format: ", change coherence %.2f", $0) } ?? "")
            )
        }
        guard let closest else { return (nil, "pretrained: no candidate") }
        return (nil, "pretrained: best candidate (\(label(closest))) rejected, \(rejection(candidates[closest]) ?? "")")
    }

    /// "iteration 75" or "iteration 75 at 50%".
    public static func label(_ iteration: Int, _ share: Double) -> String {
        share == 1 ? "iteration \(iteration)" : String(format: "iteration %d at %.0f%%", iteration, 100 * share)
    }
}
