import Engine

/// One unit's adaptation as restore runs it: LWay fine-tuning that keeps a candidate checkpoint
/// every `checkpointInterval` iterations (and the stop rule's choice), each also at the gate's
/// smaller shares of its change, then the acceptance gate on the unit's evidence frames. Leaves
/// the weights to render in the model.
package struct UnitAdaptation {
    package struct Outcome {
        package var result: LWayAdapter.Result
        package var candidates: [AcceptanceCandidate]
        /// nil with the gate off: the stop rule's choice is rendered.
        package var decision: AcceptanceDecision?
    }

    /// Starts from `networks.pretrained` and leaves the weights to render in `networks.model`.
    /// `file(index)`: where the sampled and evidence frames are; `alsoMeasured`: shares to
    /// measure besides the gate's own, which it does not choose from (a study's checkpoints themselves).
    package static func run(_ unit: AdaptationUnit, scenes: [Scene], networks: AdaptationNetworks, options: RestoreOptions,
                            alsoMeasured: [Double] = [], file: (Int) -> String, progress: (Int, Double) -> Void = { _, _ in }) throws -> Outcome {
        let model = networks.model, pretrained = networks.pretrained
        var adaptation = options.adaptation
        adaptation.seed = adaptation.seed &+ UInt64(unit.index)
        model.graph.load(pretrained)
        let adapter = try LWayAdapter(model: model, branch: networks.branch, lpips: networks.lpips, options: adaptation,
                                      regulariser: networks.regulariser)
        let frames = try unit.frames.map { index in
            try SceneFrameSampler.adaptationFrame(index, in: scene(of: index, in: scenes), target: adaptation.target, file: file)
        }
        var checkpoints: [(iteration: Int, weights: WeightSet)] = []
        let interval = options.acceptance.checkpointInterval
        let result = try adapter.adapt(frames: frames, progress: progress) { observation in
            guard options.acceptance.enabled, (observation.step.iteration + 1) % interval == 0 else { return }
            checkpoints.append((observation.step.iteration + 1, adapter.renderedWeights()))
        }
        guard options.acceptance.enabled else { return Outcome(result: result, candidates: [], decision: nil) }
        // What the stop rule left in the model is a candidate too, unless it kept the pretrained weights.
        let stopRuleIteration = result.keptIteration ?? result.steps.count
        if stopRuleIteration > 0, !checkpoints.contains(where: { $0.iteration == stopRuleIteration }) {
            checkpoints.append((stopRuleIteration, model.graph.snapshot()))
            checkpoints.sort { $0.iteration < $1.iteration }
        }
        let shares = Set(options.acceptance.shares + alsoMeasured).sorted(by: >)
        let candidates = checkpoints.flatMap { checkpoint in
            shares.map { share in
                AcceptanceCandidate(iteration: checkpoint.iteration, share: share, checkpoint: checkpoint.weights, pretrained: pretrained)
            }
        }
        var evidence = AcceptanceEvidence(pairs: try unit.evidence.map { first in
            AcceptanceEvidence.Pair(first: try Tensor(pictureAt: file(first)), second: try Tensor(pictureAt: file(first + 1)))
        })
        let lpipsWeight = Double(adaptation.lpipsWeight)
        let decision = try AcceptanceGate(options.acceptance).decide(
            model: model, pretrained: pretrained, candidates: candidates, evidence: &evidence) { lr in
            let loss = try adapter.loss(lr)
            return loss.l1 + lpipsWeight * loss.lpips
        }
        model.graph.load(candidates.first { decision.keeps(iteration: $0.iteration, share: $0.share) }?.weights ?? pretrained)
        return Outcome(result: result, candidates: candidates, decision: decision)
    }

    static func scene(of frame: Int, in scenes: [Scene]) -> Scene {
        scenes.first { $0.firstFrame <= frame && frame <= $0.lastFrame }!
    }
}
