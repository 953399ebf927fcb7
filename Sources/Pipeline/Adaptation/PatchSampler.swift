import Engine

/// Random square patches of a scene's frames, for fine-tuning: frame and position drawn from
/// the caller's generator, so a seed repeats the same batches.
struct PatchSampler {
    let frames: [Tensor]
    let patchSize: Int

    init(frames: [Tensor], patchSize: Int) throws {
        guard !frames.isEmpty else { throw PipelineError("no frames to adapt on") }
        let smallest = frames.map { min($0.shape.height, $0.shape.width) }.min()!
        guard smallest >= patchSize else {
            throw PipelineError("frames of \(smallest) pixels are smaller than the \(patchSize)-pixel patches; use a smaller patch size")
        }
        self.frames = frames
        self.patchSize = patchSize
    }

    func batch(_ count: Int, using generator: inout SeededGenerator) -> Tensor {
        Tensor(stacking: (0..<count).map { _ in
            let frame = frames.randomElement(using: &generator)!
            let top = Int.random(in: 0...(frame.shape.height - patchSize), using: &generator)
            let left = Int.random(in: 0...(frame.shape.width - patchSize), using: &generator)
            return frame.crop(top: top, left: left, height: patchSize, width: patchSize)
        })
    }
}
