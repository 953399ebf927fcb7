import Engine

/// The stop rule's measurements: the self-supervised loss on fixed patches of frames that the
/// fine-tuning never trains on, and the best weights seen.
struct HeldOutValidation {
    /// Patches per measurement: one fixed batch, drawn once.
    static let patchCount = 8

    let input: Tensor
    let target: Tensor
    private(set) var best: (loss: Double, iteration: Int, weights: WeightSet)?
    private(set) var measurementsWithoutImprovement = 0

    /// The frames to hold out: `share` of them (at least one when there are two or more), spread
    /// evenly. Returns (training, held out); nothing is held out of a single frame.
    static func split<Item>(_ frames: [Item], share: Double) -> (training: [Item], heldOut: [Item]) {
        guard frames.count >= 2, share > 0 else { return (frames, []) }
        let count = min(frames.count - 1, max(1, Int((Double(frames.count) * share).rounded())))
        let heldOut = Set((0..<count).map { ((2 * $0 + 1) * frames.count) / (2 * count) })
        return (frames.indices.filter { !heldOut.contains($0) }.map { frames[$0] }, heldOut.sorted().map { frames[$0] })
    }

    init(frames: [AdaptationFrame], patchSize: Int, target kind: AdaptationTarget, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed ^ 0x5A5A_5A5A)
        let batch = try PatchSampler(frames: frames, patchSize: patchSize, target: kind).batch(Self.patchCount, using: &generator)
        input = batch.input
        target = batch.target
    }

    /// Whether the stop rule ends training now: `patience` measurements without improvement
    /// (never for 0).
    func wouldStop(patience: Int) -> Bool { patience > 0 && measurementsWithoutImprovement >= patience }

    /// Records the loss measured after `iteration` iterations with `weights`.
    mutating func record(loss: Double, iteration: Int, weights: @autoclosure () -> WeightSet) {
        if let best, loss >= best.loss {
            measurementsWithoutImprovement += 1
        } else {
            best = (loss, iteration, weights())
            measurementsWithoutImprovement = 0
        }
    }
}
