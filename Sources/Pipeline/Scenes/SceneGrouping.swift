import Engine

/// Groups scenes by what degraded them: each scene is described by the mean degradation
/// embedding E(LR) of its sampled frames, and joins the first group (in film order) whose
/// founding scene lies within `threshold` cosine distance, else founds a new one. Simple and
/// deterministic; scenes cut from one source reel land together wherever they appear.
enum SceneGrouping {
    static func group(embeddings: [[Float]], threshold: Double) -> [[Int]] {
        var leaders: [[Float]] = []
        var groups: [[Int]] = []
        for (scene, embedding) in embeddings.enumerated() {
            if let match = leaders.firstIndex(where: { cosineDistance($0, embedding) <= threshold }) {
                groups[match].append(scene)
            } else {
                leaders.append(embedding)
                groups.append([scene])
            }
        }
        return groups
    }

    static func cosineDistance(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x * y)
            normA += Double(x * x)
            normB += Double(y * y)
        }
        return 1 - dot / max((normA * normB).squareRoot(), 1e-12)
    }

    /// A scene's embedding: E over a centred crop of each sampled frame (at most 96 pixels a side,
    /// which is plenty for a degradation statistic and keeps long films cheap), averaged.
    static func embedding(of frames: [Tensor], branch: ReconstructionBranch) throws -> [Float] {
        var sum = [Float](repeating: 0, count: branch.configuration.embeddingSize)
        for frame in frames {
            let height = min(96, frame.shape.height), width = min(96, frame.shape.width)
            let crop = frame.crop(top: (frame.shape.height - height) / 2, left: (frame.shape.width - width) / 2, height: height, width: width)
            let embedding = try branch.embed(crop)
            for i in sum.indices { sum[i] += embedding.data[i] / Float(frames.count) }
        }
        return sum
    }
}
