import Engine

/// What a candidate's weights change in the SR output of one evidence pair, against the
/// pretrained output: how much of its detail they take away, and whether the change repeats in
/// the next frame.
///
/// Fine-tuning that removes film grain takes out something new in every frame: its change is
/// unlike itself from one frame to the next. Fine-tuning that removes texture, or paints in the
/// block pattern of a low-rate codec (which repeats between frames, so the neighbour target
/// teaches it), changes the same places of the picture in both frames; a codec's pattern stays
/// on the frame's grid when the picture moves, so both alignments are tried.
struct ChangeMeasures {
    let pretrainedFirst: [Float]
    let pretrainedSecond: [Float]
    let width: Int
    /// The pretrained first output's high-pass and its energy.
    let detail: [Float]
    let detailEnergy: Double
    /// Where the second frame's content lies against the first's, in SR pixels.
    let shiftY: Int
    let shiftX: Int

    init(pretrainedFirst: [Float], pretrainedSecond: [Float], width: Int, lrFirst: Tensor, lrSecond: Tensor) {
        self.pretrainedFirst = pretrainedFirst
        self.pretrainedSecond = pretrainedSecond
        self.width = width
        detail = AcceptanceEvidence.highPass(pretrainedFirst, width: width)
        detailEnergy = detail.reduce(0) { $0 + Double($1 * $1) }
        let radius = 3, scale = width / max(1, lrFirst.shape.width)
        let size = min(lrFirst.shape.height, lrFirst.shape.width) - 2 * radius
        guard size >= 8 else {
            (shiftY, shiftX) = (0, 0)
            return
        }
        let top = (lrFirst.shape.height - size) / 2, left = (lrFirst.shape.width - size) / 2
        let found = NeighbourAlignment.find(patchOf: lrFirst, top: top, left: left, size: size, in: lrSecond, radius: radius)
        (shiftY, shiftX) = ((found.top - top) * scale, (found.left - left) * scale)
    }

    /// `first`, `second`: the candidate's SR luma of the pair.
    func measure(first: [Float], second: [Float]) -> (detailRemoved: Double, coherence: Double) {
        let height = first.count / width
        var along = 0.0
        for i in 0..<first.count { along += Double((first[i] - pretrainedFirst[i]) * detail[i]) }
        let removed = detailEnergy > 0 ? -along / detailEnergy : 0
        // The change's high-pass: a shift of brightness or colour repeats too, and is not texture.
        let changeFirst = AcceptanceEvidence.highPass(zip(first, pretrainedFirst).map { $0 - $1 }, width: width)
        let changeSecond = AcceptanceEvidence.highPass(zip(second, pretrainedSecond).map { $0 - $1 }, width: width)
        func correlation(shiftY: Int, shiftX: Int) -> Double {
            var product = 0.0, firstEnergy = 0.0, secondEnergy = 0.0
            for y in max(0, -shiftY)..<min(height, height - shiftY) {
                for x in max(0, -shiftX)..<min(width, width - shiftX) {
                    let a = Double(changeFirst[y * width + x]), b = Double(changeSecond[(y + shiftY) * width + x + shiftX])
                    product += a * b
                    firstEnergy += a * a
                    secondEnergy += b * b
                }
            }
            let norm = (firstEnergy * secondEnergy).squareRoot()
            return norm > 0 ? product / norm : 0
        }
        return (removed, max(correlation(shiftY: shiftY, shiftX: shiftX), correlation(shiftY: 0, shiftX: 0)))
    }
}
