import ArgumentParser
import Engine
import Lab
import Pipeline

/// The options of a restore job that decide its result, shared by `restore` and `lab bench restore`.
struct RestoreArguments: ParsableArguments {
    @Option(help: "SR model adapted per scene: compact-x4 (default) or x4plus.")
    var model = RestoreOptions().model

    @Option(help: "Output scale, 2 or 4 (default: the model's).")
    var scale: Int?

    @Option(name: .customLong("group-threshold"), help: "Largest cosine distance of degradation embeddings within a group.")
    var groupThreshold = RestoreOptions().groupThreshold

    @Option(name: .customLong("frames-per-scene"), help: "Frames sampled from each scene for adaptation.")
    var framesPerScene = RestoreOptions().framesPerScene

    @Option(help: "Fine-tuning iterations per scene or group (default: \(AdaptationOptions().iterations); bench curve: \(defaultCurveIterations)).")
    var iterations: Int?

    /// `lab bench curve` follows the adaptation well past the restore's default, to where the paper
    /// sees the drop.
    static let defaultCurveIterations = 600

    @Option(help: "LR patches per iteration.")
    var batch = AdaptationOptions().batchSize

    @Option(help: "LR patch side in pixels (at least 32).")
    var patch = AdaptationOptions().lrPatchSize

    @Option(name: .customLong("learning-rate"), help: "Adam learning rate of the fine-tuning.")
    var learningRate = AdaptationOptions().learningRate

    @Option(name: .customLong("lpips-weight"), help: "Weight of LPIPS next to the weighted L1.")
    var lpipsWeight = AdaptationOptions().lpipsWeight

    @Option(
        help: "Weights to tune: all, last:SHARE (the last layers holding that share, e.g. last:0.65), or layer name prefixes separated by commas.")
    var tune = "all"

    @Option(
        help:
            "What the reconstruction of a patch is compared with: same (the patch, as LWay) or neighbour (the aligned patch of the next frame, whose grain and dust differ)."
    )
    var target = AdaptationOptions().target.rawValue

    @Flag(
        help:
            "HR-aware controller: the branch degrades SR outputs still close to the enlarged LR more (needs a branch trained with lab train recon --controller)."
    )
    var controller = false

    @Option(
        name: .customLong("far-weight"),
        help:
            "Weight of the feature-alignment regulariser on the SR outputs (0: off; bench ablation's far variant uses \(AdaptationVariant.featureAlignmentWeight))."
    )
    var farWeight = AdaptationOptions().featureAlignmentWeight

    @Option(help: "Render with an exponential moving average of the weights, with this decay (e.g. 0.99).")
    var ema: Float?

    @Option(
        name: .customLong("held-out"),
        help: "Share of each unit's frames held out for the stop rule (0: no stop rule, the last weights are rendered).")
    var heldOut = AdaptationOptions().heldOutShare

    @Option(name: .customLong("validation-interval"), help: "Iterations between two measurements of the held-out loss.")
    var validationInterval = AdaptationOptions().validationInterval

    @Option(help: "Stop after this many held-out measurements without improvement (0: run every iteration); the best weights measured are rendered.")
    var patience = AdaptationOptions().patience

    @Option(
        help:
            "Whether adapted weights must pass the acceptance gate to be rendered: gate (default; a unit whose evidence is weak renders the pretrained weights) or off (render the stop rule's choice)."
    )
    var acceptance = "gate"

    @Option(
        name: .customLong("gate-loss-change"),
        help: "Gate: largest relative change of the self-supervised loss on unseen frames (negative: it must fall by that share).")
    var gateLossChange = AcceptanceOptions().maximumLossChange

    @Option(
        name: .customLong("gate-flat-detail"), help: "Gate: largest relative increase of high-frequency energy in the pretrained output's flat areas."
    )
    var gateFlatDetail = AcceptanceOptions().maximumFlatDetailChange

    @Option(name: .customLong("gate-temporal"), help: "Gate: largest relative increase of frame-to-frame change of the SR output.")
    var gateTemporal = AcceptanceOptions().maximumTemporalChange

    @Option(
        name: .customLong("gate-back-projection"), help: "Gate: largest relative increase of the back-projection error (SR shrunk back against LR).")
    var gateBackProjection = AcceptanceOptions().maximumBackProjectionChange

    @Option(
        name: .customLong("gate-coherence"),
        help:
            "Gate: largest change coherence (how alike a candidate's change is in two consecutive frames) past the first checkpoint at the coherent share."
    )
    var gateCoherence = AcceptanceOptions().maximumChangeCoherence

    @Option(
        name: .customLong("gate-coherent-share"),
        help: "Gate: largest share at which a candidate whose change repeats between frames is rendered (first checkpoint only).")
    var gateCoherentShare = AcceptanceOptions().coherentShare

    @Option(
        name: .customLong("gate-shares"),
        help: "Gate: shares of each checkpoint's change from the pretrained weights to try, separated by commas (1: the checkpoint itself).")
    var gateShares = AcceptanceOptions().shares.map { String(format: "%g", $0) }.joined(separator: ",")

    @Option(
        name: .customLong("gate-prefer"),
        help: "Gate: which accepted candidate is rendered: \(AcceptanceOptions.Preference.allCases.map(\.rawValue).joined(separator: " or ")).")
    var gatePrefer = AcceptanceOptions().preference.rawValue

    @Option(help: "Seed of every random choice of the adaptation.")
    var seed: UInt64 = AdaptationOptions().seed

    @Option(help: "Scene cut threshold (content difference, 0-255 scale).")
    var threshold = SceneDetectionOptions().threshold

    @Option(name: .customLong("min-scene-length"), help: "Shortest scene in frames.")
    var minSceneLength = SceneDetectionOptions().minimumSceneLength

    @Option(help: "Largest tile side in input pixels when rendering (tiles are cut evenly).")
    var tile = RestoreOptions().tileSize

    @Option(
        help:
            "Reconstruction branch (default: $FILMSR_RECONSTRUCTION or weights/reconstruction-x4.safetensors; with --controller $FILMSR_RECONSTRUCTION_CONTROLLER or weights/reconstruction-x4-controller.safetensors)."
    )
    var reconstruction: String?

    @Option(help: "Folder holding the SR model files.")
    var models: String?

    @Option(help: "Threads for the matrix products (default: one per core).")
    var threads = 0

    func restoreOptions(granularity: AdaptationGranularity, defaultIterations: Int = AdaptationOptions().iterations) throws -> RestoreOptions {
        let iterations = iterations ?? defaultIterations
        guard iterations >= 1, batch >= 1 else { throw UsageError("--iterations and --batch must be at least 1") }
        guard tile >= 8 else { throw UsageError("--tile must be at least 8 pixels") }
        var options = RestoreOptions()
        options.model = model
        options.outputScale = scale
        options.granularity = granularity
        options.groupThreshold = groupThreshold
        options.framesPerScene = framesPerScene
        options.adaptation.iterations = iterations
        options.adaptation.batchSize = batch
        options.adaptation.lrPatchSize = patch
        options.adaptation.learningRate = learningRate
        options.adaptation.lpipsWeight = lpipsWeight
        options.adaptation.tuned = try TunedParameters(argument: tune)
        guard let target = AdaptationTarget(rawValue: target) else { throw UsageError("--target \(target): choose same or neighbour") }
        options.adaptation.target = target
        options.adaptation.controller = controller
        guard farWeight >= 0 else { throw UsageError("--far-weight must not be negative") }
        options.adaptation.featureAlignmentWeight = farWeight
        options.adaptation.emaDecay = ema
        guard (0..<1).contains(heldOut), validationInterval >= 1, patience >= 0 else {
            throw UsageError("--held-out must lie in [0, 1), --validation-interval be at least 1 and --patience at least 0")
        }
        options.adaptation.heldOutShare = heldOut
        options.adaptation.validationInterval = validationInterval
        options.adaptation.patience = patience
        options.adaptation.seed = seed
        switch acceptance {
        case "gate": options.acceptance.enabled = true
        case "off": options.acceptance.enabled = false
        default: throw UsageError("--acceptance \(acceptance): choose gate or off")
        }
        options.acceptance.maximumLossChange = gateLossChange
        options.acceptance.maximumFlatDetailChange = gateFlatDetail
        options.acceptance.maximumTemporalChange = gateTemporal
        options.acceptance.maximumBackProjectionChange = gateBackProjection
        options.acceptance.maximumChangeCoherence = gateCoherence
        options.acceptance.coherentShare = gateCoherentShare
        options.acceptance.shares = try gateShares.split(separator: ",").map { text in
            guard let share = Double(text) else { throw UsageError("--gate-shares \(gateShares): give numbers separated by commas") }
            return share
        }
        guard let preference = AcceptanceOptions.Preference(rawValue: gatePrefer) else {
            throw UsageError("--gate-prefer \(gatePrefer): choose \(AcceptanceOptions.Preference.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        options.acceptance.preference = preference
        try options.acceptance.validate()
        options.scenes = SceneDetectionOptions(threshold: threshold, minimumSceneLength: minSceneLength)
        options.tileSize = tile
        return options
    }

    func resources() -> RestoreJob.Resources {
        var resources = RestoreJob.Resources()
        if let reconstruction { resources.reconstructionBranch = reconstruction }
        if let models { resources.modelsDirectory = models }
        return resources
    }
}

extension AdaptationGranularity {
    init(argument: String) throws {
        guard let value = AdaptationGranularity(rawValue: argument) else {
            throw UsageError("--granularity \(argument): choose scene, group or clip")
        }
        self = value
    }
}

extension TunedParameters {
    /// all | last:SHARE | prefix[,prefix...]
    init(argument: String) throws {
        if argument == "all" {
            self = .all
        } else if argument.hasPrefix("last:") {
            guard let share = Double(argument.dropFirst(5)), share > 0, share <= 1 else {
                throw UsageError("--tune \(argument): the share after last: must be a number in (0, 1]")
            }
            self = .lastShare(share)
        } else {
            let prefixes = argument.split(separator: ",").map(String.init)
            guard !prefixes.isEmpty else { throw UsageError("--tune: give all, last:SHARE or layer names") }
            self = .named(prefixes)
        }
    }
}
