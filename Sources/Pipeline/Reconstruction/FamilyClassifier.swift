import Engine

/// A linear classifier of the degradation family on E's embedding: e (n, embeddingSize, 1, 1)
/// -> logits (n, families, 1, 1), one 1x1 convolution. Trained with a softmax cross-entropy
/// during pretraining (the labels come free from the synthesis), it pushes E to put the
/// families apart, which the reconstruction loss alone does only weakly. Being linear, what it
/// separates must be separated by the embedding itself, which is what adaptation uses.
package enum FamilyClassifier {
    package static let families = DegradationFamily.allCases

    static func buildHead(_ configuration: ReconstructionConfiguration, seed: UInt64) -> Graph {
        var builder = NetworkBuilder(prefix: "family", seed: seed)
        let embedding = builder.input("embedding")
        let logits = builder.convolution(embedding, "logits", from: configuration.embeddingSize, to: families.count, kernel: 1, initialScale: 0.1)
        return builder.finish(outputs: [logits])
    }
}
