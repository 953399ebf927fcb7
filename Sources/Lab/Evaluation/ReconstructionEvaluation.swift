import Engine
import Foundation
import Pipeline

/// How well a trained reconstruction branch does its job, on held-out photographs degraded
/// with seeds never used in training, family by family:
/// - fidelity: PSNR of R(HR, E(LR)) against the true LR, next to fixed degradations: the
///   plain bicubic and area shrinks of HR, and the best single blur-then-shrink of the
///   degradation bank for the family (the best fixed degradation there is, chosen knowing the
///   answers), and the bank's oracle (the best operator for each picture: what the linear part
///   of R could reach if E chose perfectly);
/// - what E captures: leave-one-out nearest-neighbour accuracy of the embeddings (cosine
///   distance) at telling the degradation families apart, against chance;
/// - the follow-up paper's contradiction: does R reproduce LR better from the true HR, or from
///   a blurred HR? (If blurred HR wins, fine-tuning through R pushes S towards blurry output.)
public enum ReconstructionEvaluation {
    public struct FamilyResult: Codable, Sendable {
        public var family: String
        public var samples: Int
        public var reconstructionPSNR: Double
        public var bicubicPSNR: Double
        public var areaPSNR: Double
        /// The bank's blur-then-shrink whose mean PSNR over these pairs is highest, and that mean.
        public var bestFixedOperator: String
        public var bestFixedOperatorPSNR: Double
        /// Mean over pairs of the best operator for each pair.
        public var bankOraclePSNR: Double
        public var nearestNeighbourAccuracy: Double
        /// With a family classifier on e (train recon --family-classifier): how often its
        /// linear read-out names the family, i.e. how linearly separable the embeddings are.
        public var classifierAccuracy: Double?

        /// The best of the fixed degradations: bicubic, area or the best bank operator.
        public var bestFixedPSNR: Double { max(bicubicPSNR, areaPSNR, bestFixedOperatorPSNR) }
    }

    public struct BlurredHRResult: Codable, Sendable {
        /// Gaussian blur of HR before R; 0 is the true HR.
        public var sigma: Double
        public var reconstructionPSNR: Double
    }

    public struct Report: Codable, Sendable {
        public var families: [FamilyResult]
        public var overall: FamilyResult
        public var chanceAccuracy: Double
        /// neighbourConfusion[i][j]: pairs of family i whose nearest embedding is of family j
        /// (families in `DegradationFamily.allCases` order): which families E confuses.
        public var neighbourConfusion: [[Int]]
        public var blurredHR: [BlurredHRResult]
    }

    /// Seeds of the held-out pairs: far from the training run's (seed + step * golden ratio).
    static let heldOutSeed: UInt64 = 0xE7A1_0000_0000_0001

    public static func run(branch: ReconstructionBranch, heldOut: PhotoLibrary, samplesPerFamily: Int = 16,
                           lrPatchSize: Int = 48, blurSigmas: [Double] = [1, 2]) throws -> Report {
        let families = DegradationFamily.allCases
        let synthesizer = DegradationSynthesizer(scale: branch.configuration.scale)
        var labels: [DegradationFamily] = []
        var embeddings: [[Float]] = []
        var rows: [(family: DegradationFamily, reconstruction: Double, bicubic: Double, area: Double, operators: [Double],
                    classified: Bool?)] = []
        let bank = LinearDegradationBank(scale: branch.configuration.scale)
        var blurredPSNR = [Double](repeating: 0, count: blurSigmas.count + 1)
        for family in families {
            let batch = try ReconstructionBatch.make(count: samplesPerFamily, lrPatchSize: lrPatchSize, scale: branch.configuration.scale,
                                                     photos: heldOut, synthesizer: synthesizer,
                                                     seed: heldOutSeed ^ UInt64(families.firstIndex(of: family)!), family: { _ in family })
            let embedding = try branch.embed(batch.lr)
            let estimate = try branch.reconstruct(hr: batch.hr, embedding: embedding)
            let logits = try branch.familyHead?.forward([embedding])[0]
            let size = batch.lr.shape
            let bicubic = Resize.apply(.bicubic, to: batch.hr, height: size.height, width: size.width)
            let area = Resize.apply(.area, to: batch.hr, height: size.height, width: size.width)
            let operators = Tensor(Shape(size.batch, size.channels * bank.filters.count, size.height, size.width))
            bank.layer.forward([batch.hr], [operators])
            for n in 0..<size.batch {
                let lr = batch.lr.item(n)
                let operatorPSNRs = bank.filters.indices.map { k in
                    Metrics.psnr(operators.item(n, channels: (k * size.channels)..<((k + 1) * size.channels)), lr)
                }
                let classified = logits.map { logits in
                    let scores = Array(UnsafeBufferPointer(start: logits.plane(n, 0), count: logits.shape.channels))
                    return FamilyClassifier.families[scores.indices.max { scores[$0] < scores[$1] }!] == family
                }
                rows.append((family, Metrics.psnr(estimate.item(n), lr), Metrics.psnr(bicubic.item(n), lr), Metrics.psnr(area.item(n), lr),
                             operatorPSNRs, classified))
                labels.append(family)
                embeddings.append(Array(UnsafeBufferPointer(start: embedding.plane(n, 0), count: embedding.shape.channels)))
            }
            blurredPSNR[0] += Metrics.meanItemPSNR(estimate, batch.lr)
            for (index, sigma) in blurSigmas.enumerated() {
                let blurred = try branch.reconstruct(hr: gaussianBlur(batch.hr, sigma: sigma), embedding: embedding)
                blurredPSNR[index + 1] += Metrics.meanItemPSNR(blurred, batch.lr)
            }
        }
        let neighbours = nearestNeighbours(embeddings)
        let neighbourMatches = labels.indices.map { labels[neighbours[$0]] == labels[$0] }
        var confusion = families.map { _ in [Int](repeating: 0, count: families.count) }
        for (index, label) in labels.enumerated() {
            confusion[families.firstIndex(of: label)!][families.firstIndex(of: labels[neighbours[index]])!] += 1
        }
        func summary(_ name: String, _ selected: [Int]) -> FamilyResult {
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
            let operatorMeans = bank.filters.indices.map { k in mean(selected.map { rows[$0].operators[k] }) }
            let best = operatorMeans.indices.max { operatorMeans[$0] < operatorMeans[$1] }!
            return FamilyResult(family: name, samples: selected.count,
                                reconstructionPSNR: mean(selected.map { rows[$0].reconstruction }),
                                bicubicPSNR: mean(selected.map { rows[$0].bicubic }),
                                areaPSNR: mean(selected.map { rows[$0].area }),
                                bestFixedOperator: LinearDegradationBank.operatorNames[best], bestFixedOperatorPSNR: operatorMeans[best],
                                bankOraclePSNR: mean(selected.map { rows[$0].operators.max()! }),
                                nearestNeighbourAccuracy: mean(selected.map { neighbourMatches[$0] ? 1 : 0 }),
                                classifierAccuracy: branch.familyHead == nil ? nil : mean(selected.map { rows[$0].classified! ? 1 : 0 }))
        }
        let perFamily = families.map { family in summary(family.rawValue, rows.indices.filter { rows[$0].family == family }) }
        let sigmas = [0] + blurSigmas
        return Report(families: perFamily, overall: summary("all", Array(rows.indices)), chanceAccuracy: 1 / Double(families.count), neighbourConfusion: confusion,
                      blurredHR: sigmas.indices.map { BlurredHRResult(sigma: sigmas[$0], reconstructionPSNR: blurredPSNR[$0] / Double(families.count)) })
    }

    /// For each embedding, the index of its nearest other embedding (cosine distance).
    static func nearestNeighbours(_ embeddings: [[Float]]) -> [Int] {
        let normalised = embeddings.map { vector -> [Float] in
            let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return vector.map { $0 / norm }
        }
        return normalised.indices.map { i in
            var best = -Float.infinity, bestIndex = i
            for j in normalised.indices where j != i {
                let similarity = zip(normalised[i], normalised[j]).reduce(0) { $0 + $1.0 * $1.1 }
                if similarity > best { best = similarity; bestIndex = j }
            }
            return bestIndex
        }
    }

    static func gaussianBlur(_ batch: Tensor, sigma: Double) -> Tensor {
        let size = GaussianSupport.side(sigma: sigma)
        let weights = BlurKernel.gaussian(sigmaX: sigma, sigmaY: sigma, angle: 0).weights(size: size)
        return Tensor(stacking: (0..<batch.shape.batch).map { KernelFilter.apply(weights, size: size, to: batch.item($0)) })
    }
}
