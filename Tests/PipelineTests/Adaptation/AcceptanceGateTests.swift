import Engine
import PipelineTestSupport
import TestSupport
import XCTest

@testable import Pipeline

/// The acceptance gate (issue 14): its no-reference signals react to what harmful adaptation
/// does to a real frame, its rule picks and refuses candidates as documented, its evidence frames
/// avoid what fine-tuning trains on.
final class AcceptanceGateTests: XCTestCase {
    /// Grain painted onto an SR output is seen as detail added in the flat areas and as
    /// frame-to-frame change, while a faithful copy changes neither.
    func testSignalsSeePaintedGrainOnARealFrame() throws {
        let frame = try PipelineFixtures.reelFrames([60])[0]
        let sharp = Resize.apply(.bicubic, to: frame, height: frame.shape.height * 4, width: frame.shape.width * 4)
        let width = sharp.shape.width
        let pretrainedLuma = AcceptanceEvidence.luma(sharp)
        let mask = AcceptanceEvidence.flatMask(pretrainedLuma, width: width)
        XCTAssertEqual(Double(mask.filter { $0 }.count) / Double(mask.count), AcceptanceEvidence.flatShare, accuracy: 0.05)
        let base = AcceptanceEvidence.highPassEnergy(pretrainedLuma, width: width, mask: mask)
        XCTAssertEqual(AcceptanceEvidence.highPassEnergy(pretrainedLuma, width: width, mask: mask), base)

        var generator = SeededGenerator(seed: 3)
        let grained = sharp.copy()
        for i in 0..<grained.count { grained.buffer[i] += Float.random(in: -0.03...0.03, using: &generator) }
        let grainedLuma = AcceptanceEvidence.luma(grained)
        XCTAssertGreaterThan(AcceptanceEvidence.highPassEnergy(grainedLuma, width: width, mask: mask), 2 * base)
        // The same grain differs in the next frame: the change between SR frames grows.
        let next = sharp.copy()
        for i in 0..<next.count { next.buffer[i] += Float.random(in: -0.03...0.03, using: &generator) }
        let steady = zip(pretrainedLuma, pretrainedLuma).reduce(0) { $0 + Double(($1.1 - $1.0) * ($1.1 - $1.0)) }
        let flickering = zip(grainedLuma, AcceptanceEvidence.luma(next)).reduce(0) { $0 + Double(($1.1 - $1.0) * ($1.1 - $1.0)) }
        XCTAssertEqual(steady, 0)
        XCTAssertGreaterThan(flickering, 0)
        // Shrunk back, the bicubic enlargement is close to the frame; the grain moves it away.
        let faithful = AcceptanceEvidence.backProjectionError(sharp, lr: frame)
        XCTAssertLessThan(faithful, 0.03)
        XCTAssertGreaterThan(AcceptanceEvidence.backProjectionError(grained, lr: frame), faithful)
    }

    /// On two consecutive real frames of a moving shot: taking out grain that differs in each
    /// frame is a change unlike itself from frame to frame, taking out the picture's texture or
    /// painting a pattern on the frame's grid is a change that repeats; both take detail away,
    /// painting adds it.
    func testChangeMeasuresTellNoiseRemovedFromTextureRemovedOnRealFrames() throws {
        let frames = try PipelineFixtures.reelFrames([60, 61])
        let sharp = frames.map { Resize.apply(.bicubic, to: $0, height: $0.shape.height * 4, width: $0.shape.width * 4) }
        let width = sharp[0].shape.width
        var generator = SeededGenerator(seed: 5)
        func grain(_ luma: [Float]) -> [Float] { luma.map { $0 + Float.random(in: -0.04...0.04, using: &generator) } }
        let clean = sharp.map(AcceptanceEvidence.luma)
        let pretrained = clean.map(grain)
        let measures = ChangeMeasures(
            pretrainedFirst: pretrained[0], pretrainedSecond: pretrained[1], width: width,
            lrFirst: frames[0], lrSecond: frames[1])

        let noiseRemoved = measures.measure(first: clean[0], second: clean[1])
        XCTAssertGreaterThan(noiseRemoved.detailRemoved, 0.5, "the grain is most of the pretrained output's high-pass")
        XCTAssertLessThan(abs(noiseRemoved.coherence), 0.1)

        // The picture's own high-pass taken out, its grain left.
        func textureTakenOut(_ index: Int) -> [Float] {
            zip(pretrained[index], AcceptanceEvidence.highPass(clean[index], width: width)).map { $0 - $1 }
        }
        let textureRemoved = measures.measure(first: textureTakenOut(0), second: textureTakenOut(1))
        XCTAssertGreaterThan(textureRemoved.detailRemoved, 0.01)
        XCTAssertGreaterThan(textureRemoved.coherence, 0.3)
        let grainOnly = measures.measure(
            first: zip(clean[0], pretrained[0]).map { 2 * $1 - $0 }, second: zip(clean[1], pretrained[1]).map { 2 * $1 - $0 })
        XCTAssertLessThan(grainOnly.coherence, textureRemoved.coherence - 0.2, "texture taken out repeats; more grain does not")

        // A pattern on an 8x8 block grid of the LR frame, the same in both frames (a codec's).
        let pattern = (0..<pretrained[0].count).map { i in (i % width) % 32 == 0 || (i / width) % 32 == 0 ? Float(0.05) : 0 }
        let painted = measures.measure(first: zip(pretrained[0], pattern).map(+), second: zip(pretrained[1], pattern).map(+))
        XCTAssertLessThan(abs(painted.detailRemoved), 0.05, "a pattern unlike the picture neither takes its detail nor adds to it")
        XCTAssertGreaterThan(painted.coherence, 0.9)
        XCTAssertEqual(measures.measure(first: pretrained[0], second: pretrained[1]).detailRemoved, 0)
    }

    private struct Candidate: MeasuredCandidate {
        var iteration = 25
        var share = 1.0
        var signals: AcceptanceSignals
    }

    private func signals(_ loss: Double, flat: Double = 0, temporal: Double = 0, back: Double = 0, coherence: Double? = nil) -> AcceptanceSignals {
        var value = AcceptanceSignals(
            .init(selfSupervisedLoss: 1, backProjectionError: 1, temporalEnergy: 1, flatDetailEnergy: 1),
            against: .init(selfSupervisedLoss: 1, backProjectionError: 1, temporalEnergy: 1, flatDetailEnergy: 1))
        XCTAssertEqual(value.values, [0, 0, 0, 0, 0, 0])
        value.lossChange = loss
        value.flatDetailChange = flat
        value.temporalChange = temporal
        value.backProjectionChange = back
        value.changeCoherence = coherence
        return value
    }

    func testRulePicksThePreferredAmongAcceptedAndOtherwiseThePretrainedWeights() {
        var options = AcceptanceOptions()
        options.shares = [1, 0.5]
        options.preference = .lowestLoss
        options.maximumLossChange = -0.01
        options.maximumFlatDetailChange = 0.1
        options.maximumTemporalChange = 0.05
        options.maximumBackProjectionChange = 0.05
        options.maximumChangeCoherence = AcceptanceOptions.unlimited
        let gate = AcceptanceGate(options)
        // The lowest loss paints grain into flat areas: the next best is rendered.
        let chosen = gate.choose(among: [
            Candidate(iteration: 25, signals: signals(-0.05)), Candidate(iteration: 50, signals: signals(-0.08, flat: 0.5)),
            Candidate(iteration: 75, signals: signals(-0.002))
        ])
        XCTAssertEqual(chosen.index, 0)
        XCTAssertTrue(chosen.reason.hasPrefix("iteration 25:"), chosen.reason)
        let refused = gate.choose(among: [Candidate(signals: signals(-0.05, temporal: 0.2)), Candidate(iteration: 50, signals: signals(0.3))])
        XCTAssertNil(refused.index)
        XCTAssertTrue(refused.reason.contains("frame-to-frame change +20.0%"), refused.reason)
        XCTAssertNil(gate.choose(among: [Candidate]()).index)
        XCTAssertNotNil(gate.rejection(Candidate(signals: signals(-0.05, back: 0.06))))
        // A share the options do not list is never rendered, whatever its signals.
        XCTAssertNil(gate.pick(among: [Candidate(share: 0.25, signals: signals(-0.5))]).index)
        XCTAssertEqual(AcceptanceGate.label(75, 0.5), "iteration 75 at 50%")
        // Preferring the steadiest output picks the candidate whose frames change least.
        options.preference = .steadiest
        let steadiest = AcceptanceGate(options).pick(among: [
            Candidate(signals: signals(-0.05, temporal: 0.01)), Candidate(iteration: 50, signals: signals(-0.02, temporal: -0.1))
        ])
        XCTAssertEqual(steadiest.index, 1)
    }

    /// A change that repeats between frames (texture taken away, a codec's pattern painted in)
    /// is trusted only as the mildest candidate: the first checkpoint at the coherent share. A
    /// change that differs from frame to frame (noise taken away) is not held back, and studies
    /// recorded before coherence was measured are judged by the other rules alone.
    func testCoherentChangeIsTrustedOnlyAtTheMildestCandidate() {
        var options = AcceptanceOptions()
        options.shares = [1, 0.5, 0.25]
        options.preference = .steadiest
        options.maximumChangeCoherence = 0.3
        options.coherentShare = 0.25
        let gate = AcceptanceGate(options)
        let coherent = [
            Candidate(iteration: 50, share: 1, signals: signals(-0.2, temporal: -0.3, coherence: 0.6)),
            Candidate(iteration: 25, share: 0.5, signals: signals(-0.1, temporal: -0.2, coherence: 0.5)),
            Candidate(iteration: 25, share: 0.25, signals: signals(-0.05, temporal: -0.1, coherence: 0.45))
        ]
        let chosen = gate.choose(among: coherent)
        XCTAssertEqual(chosen.index, 2, chosen.reason)
        let rejection = gate.rejection(coherent[0]) ?? ""
        XCTAssertTrue(rejection.contains("coherence 0.60 > 0.30"), rejection)
        XCTAssertNil(gate.rejection(coherent[2]))
        // Past the first checkpoint even the small share is refused: nothing is rendered.
        XCTAssertNil(gate.pick(among: [Candidate(iteration: 50, share: 0.25, signals: signals(-0.05, coherence: 0.45))]).index)
        // Noise removed, or no coherence recorded: the steadiest is rendered whole.
        for coherence in [0.1, nil] {
            let incoherent = coherent.map {
                var candidate = $0
                candidate.signals.changeCoherence = coherence
                return candidate
            }
            XCTAssertEqual(gate.pick(among: incoherent).index, 0)
        }
        options.coherentShare = 1.5
        XCTAssertThrowsError(try options.validate())
    }

    /// A share of a checkpoint lies on the line from the pretrained weights to it; share 1 is
    /// the checkpoint bit for bit.
    func testSharedCandidateInterpolatesTowardsThePretrainedWeights() {
        let pretrained = Tensor(1, 1, 1, 3), checkpoint = Tensor(1, 1, 1, 3)
        for (i, (p, c)) in [(0.5, 1.5), (-2.0, 2.0), (0.1, 0.1)].enumerated() {
            pretrained.buffer[i] = Float(p)
            checkpoint.buffer[i] = Float(c)
        }
        let checkpointWeights = WeightSet(owning: [checkpoint]), pretrainedWeights = WeightSet(owning: [pretrained])
        let half = AcceptanceCandidate(iteration: 50, share: 0.5, checkpoint: checkpointWeights, pretrained: pretrainedWeights)
        let values = withExtendedLifetime(half) { Array(half.weights.values[0].buffer) }
        for (value, expected) in zip(values, [Float(1), 0, 0.1]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
        let whole = AcceptanceCandidate(iteration: 50, share: 1, checkpoint: checkpointWeights, pretrained: pretrainedWeights)
        XCTAssertTrue(whole.weights.values[0] === checkpoint)
        var options = AcceptanceOptions()
        options.shares = [0]
        XCTAssertThrowsError(try options.validate())
    }

    /// Pairs of frames neither trained on nor used as a training frame's target, spread evenly.
    func testEvidenceFramesAvoidWhatFineTuningSees() {
        let scene = Scene(index: 0, firstFrame: 100, frameCount: 40, startTime: 0, endTime: 1)
        let sampled = [102, 107, 112, 117, 122, 127, 132, 137]
        let training = EvidenceFrames.trainingFrames(of: sampled, scenes: [scene], heldOutShare: 0.25, neighbours: true)
        let heldOut = Set(HeldOutValidation.split(sampled, share: 0.25).heldOut)
        XCTAssertEqual(heldOut.count, 2)
        XCTAssertTrue(training.isDisjoint(with: heldOut))
        XCTAssertTrue(training.contains(103) || heldOut.contains(102))
        let evidence = EvidenceFrames.choose(scenes: [scene], trainingFrames: training, count: 4)
        XCTAssertEqual(evidence.count, 4)
        for start in evidence {
            XCTAssertFalse(training.contains(start) || training.contains(start + 1), "\(start)")
            XCTAssertLessThan(start, scene.lastFrame)
        }
        XCTAssertGreaterThan(evidence.max()! - evidence.min()!, 20, "spread over the scene: \(evidence)")
        // A scene whose every frame is trained on leaves no evidence: the gate renders pretrained.
        XCTAssertEqual(EvidenceFrames.choose(scenes: [scene], trainingFrames: Set(100...139), count: 4), [])
    }
}
