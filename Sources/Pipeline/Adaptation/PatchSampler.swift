import Engine

/// Random square patches of a scene's frames, for fine-tuning: frame and position drawn from
/// the caller's generator, so a seed repeats the same batches. Each input patch comes with the
/// patch the loss compares with (see AdaptationTarget).
struct PatchSampler {
    let frames: [AdaptationFrame]
    let patchSize: Int
    let target: AdaptationTarget

    init(frames: [AdaptationFrame], patchSize: Int, target: AdaptationTarget = .same) throws {
        guard !frames.isEmpty else { throw PipelineError("no frames to adapt on") }
        let smallest = frames.map { min($0.frame.shape.height, $0.frame.shape.width) }.min()!
        guard smallest >= patchSize else {
            throw PipelineError("frames of \(smallest) pixels are smaller than the \(patchSize)-pixel patches; use a smaller patch size")
        }
        self.frames = frames
        self.patchSize = patchSize
        self.target = target
    }

    func batch(_ count: Int, using generator: inout SeededGenerator) -> (input: Tensor, target: Tensor) {
        var inputs: [Tensor] = [], targets: [Tensor] = []
        for _ in 0..<count {
            let sample = frames.randomElement(using: &generator)!
            let top = Int.random(in: 0...(sample.frame.shape.height - patchSize), using: &generator)
            let left = Int.random(in: 0...(sample.frame.shape.width - patchSize), using: &generator)
            let input = sample.frame.crop(top: top, left: left, height: patchSize, width: patchSize)
            inputs.append(input)
            guard target == .neighbour, let neighbour = sample.neighbour else {
                targets.append(input)
                continue
            }
            let alignment = NeighbourAlignment.find(patchOf: sample.frame, top: top, left: left, size: patchSize, in: neighbour)
            let aligned = neighbour.crop(top: alignment.top, left: alignment.left, height: patchSize, width: patchSize)
            for i in 0..<aligned.count { aligned.buffer[i] *= alignment.gain }
            targets.append(aligned)
        }
        return (Tensor(stacking: inputs), Tensor(stacking: targets))
    }
}
