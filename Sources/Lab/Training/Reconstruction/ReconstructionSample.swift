import Engine
import Pipeline

/// A batch of training or evaluation pairs for the reconstruction branch: clean HR crops of
/// photographs and the LR pictures a degradation made of them.
struct ReconstructionBatch {
    var hr: Tensor
    var lr: Tensor
    var records: [DegradationRecord]

    /// `count` pairs, each from its own seed, so any batch can be made again from (seed, index).
    static func make(count: Int, lrPatchSize: Int, scale: Int, photos: PhotoLibrary, synthesizer: DegradationSynthesizer,
                     seed: UInt64, family: (Int) -> DegradationFamily? = { _ in nil }) throws -> ReconstructionBatch {
        var hrItems: [Tensor] = [], lrItems: [Tensor] = [], records: [DegradationRecord] = []
        for index in 0..<count {
            var generator = SeededGenerator(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
            let hr = photos.randomCrop(size: lrPatchSize * scale, using: &generator)
            let degradationSeed = generator.next()
            let (lr, record) = try family(index).map { try synthesizer.degrade(hr, family: $0, seed: degradationSeed) }
                ?? synthesizer.degrade(hr, seed: degradationSeed)
            hrItems.append(hr)
            lrItems.append(lr)
            records.append(record)
        }
        return ReconstructionBatch(hr: Tensor(stacking: hrItems), lr: Tensor(stacking: lrItems), records: records)
    }
}
