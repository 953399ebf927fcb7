import Engine

/// Decides, per adaptation unit and without ground truth, whether adapted weights are rendered
/// and which checkpoint: a candidate is accepted only when the evidence frames (never trained on)
/// show its self-supervised loss lower than the pretrained weights' by a margin AND it adds no
/// more than a bounded amount of detail in flat areas, of frame-to-frame change, and of
/// disagreement with the LR when shrunk back. Among accepted candidates the lowest loss wins;
/// with none, or no evidence, the pretrained weights are rendered. Weak evidence means
/// pretrained: a restore must never be silently worse than the plain upscaler.
///
/// The default thresholds are what `filmsr bench-gate`'s grid search chose on the tuning clips
/// (the reel and the tape, README "Acceptance gate"): no setting of the four signals kept every
/// unit within 0.1 dB and 0.01 LPIPS of the unadapted network while gaining, so the default loss
/// rule (-100%) accepts no candidate and restore renders the pretrained weights; the other
/// thresholds are the ones `--gate-loss-change` opens the gate to.
public struct AcceptanceOptions: Codable, Equatable, Sendable {
    /// Off: render what fine-tuning (and its stop rule) kept, as before the gate.
    public var enabled = true
    /// A candidate checkpoint every this many iterations, and the stop rule's choice.
    public var checkpointInterval = 25
    /// Consecutive frame pairs per unit to measure on.
    public var evidencePairs = 4
    /// Largest relative change of the self-supervised loss on the evidence frames (negative: the
    /// loss must fall by at least that share; -1, the default, cannot be met).
    public var maximumLossChange = -1.0
    /// Largest relative increase of the high-pass energy in the pretrained output's flat areas.
    public var maximumFlatDetailChange = 0.10
    /// Largest relative increase of the SR frames' frame-to-frame change.
    public var maximumTemporalChange = 0.05
    /// Largest relative increase of the back-projection error (SR shrunk back against LR).
    public var maximumBackProjectionChange = 0.05

    public init() {}

    public func validate() throws {
        guard checkpointInterval >= 1 else { throw PipelineError("the gate's checkpoint interval must be at least 1 (got \(checkpointInterval))") }
        guard evidencePairs >= 1 else { throw PipelineError("the gate needs at least 1 evidence pair (got \(evidencePairs))") }
    }
}

/// A candidate's measurement against the pretrained weights', each as a relative change
/// (candidate / pretrained - 1): positive is the direction of harm for all four.
public struct AcceptanceSignals: Codable, Equatable, Sendable {
    public var lossChange: Double
    public var flatDetailChange: Double
    public var temporalChange: Double
    public var backProjectionChange: Double

    public init(_ candidate: AcceptanceEvidence.Measurement, against pretrained: AcceptanceEvidence.Measurement) {
        func change(_ value: Double, _ base: Double) -> Double { base > 0 ? value / base - 1 : 0 }
        lossChange = change(candidate.selfSupervisedLoss, pretrained.selfSupervisedLoss)
        flatDetailChange = change(candidate.flatDetailEnergy, pretrained.flatDetailEnergy)
        temporalChange = change(candidate.temporalEnergy, pretrained.temporalEnergy)
        backProjectionChange = change(candidate.backProjectionError, pretrained.backProjectionError)
    }

    public static let names = ["lossChange", "flatDetailChange", "temporalChange", "backProjectionChange"]
    public var values: [Double] { [lossChange, flatDetailChange, temporalChange, backProjectionChange] }
}

/// What the gate decided for one unit, and why; kept in the unit's summary and shown in the report.
public struct AcceptanceDecision: Codable, Equatable, Sendable {
    public struct Candidate: Codable, Equatable, Sendable {
        public var iteration: Int
        public var measurement: AcceptanceEvidence.Measurement
        public var signals: AcceptanceSignals
        /// nil: accepted; else the first rule it broke.
        public var rejection: String?
    }

    public var pretrained: AcceptanceEvidence.Measurement?
    public var candidates: [Candidate]
    /// The iterations after which the rendered weights were taken; 0: the pretrained weights.
    public var keptIteration: Int
    public var reason: String
}

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

    /// Measures the pretrained weights and each candidate (iteration, values) on `evidence` with
    /// `model` (whose weights it changes: the caller loads the chosen ones afterwards), and decides.
    /// `loss(lr)`: the self-supervised loss of the weights in the model (AcceptanceEvidence.measure).
    public func decide(model: SRModel, pretrained: [Tensor], candidates: [(iteration: Int, values: [Tensor])],
                       evidence: inout AcceptanceEvidence, loss: (Tensor) throws -> Double) throws -> AcceptanceDecision {
        guard !evidence.isEmpty else {
            return AcceptanceDecision(pretrained: nil, candidates: [], keptIteration: 0,
                                      reason: "pretrained: no frame left to test the adaptation on")
        }
        model.graph.load(pretrained)
        let base = try evidence.measure(model, loss: loss)
        var measured: [AcceptanceDecision.Candidate] = []
        for candidate in candidates {
            model.graph.load(candidate.values)
            let measurement = try evidence.measure(model, loss: loss)
            let signals = AcceptanceSignals(measurement, against: base)
            measured.append(.init(iteration: candidate.iteration, measurement: measurement, signals: signals, rejection: rejection(signals)))
        }
        let (kept, reason) = choose(measured.map { ($0.iteration, $0.signals) })
        return AcceptanceDecision(pretrained: base, candidates: measured, keptIteration: kept, reason: reason)
    }

    /// The candidate to render, by its signals: among those no rule rejects, the lowest loss;
    /// iteration 0 (the pretrained weights) when every one is rejected. Returns the reason too.
    public func choose(_ candidates: [(iteration: Int, signals: AcceptanceSignals)]) -> (iteration: Int, reason: String) {
        let byLoss = candidates.sorted { $0.signals.lossChange < $1.signals.lossChange }
        if let accepted = byLoss.first(where: { rejection($0.signals) == nil }) {
            let signals = accepted.signals
            return (accepted.iteration, String(format: "iteration %d: loss on unseen frames %+.1f%%, flat-area detail %+.1f%%, frame-to-frame change %+.1f%%",
                                               accepted.iteration, 100 * signals.lossChange, 100 * signals.flatDetailChange, 100 * signals.temporalChange))
        }
        guard let closest = byLoss.first else { return (0, "pretrained: no candidate") }
        return (0, "pretrained: best candidate (iteration \(closest.iteration)) rejected, \(rejection(closest.signals) ?? "")")
    }
}
