/// The shape of the LR reconstruction branch (degradation encoder E and reconstructor R).
/// Saved in every checkpoint, so that a file rebuilds the network it was trained as.
public struct ReconstructionConfiguration: Codable, Equatable, Sendable {
    /// How R brings an HR picture down to LR size. LWay does not publish its choice.
    public enum Mapping: String, Codable, CaseIterable, Sendable {
        /// Each scale x scale block of HR pixels becomes scale^2 x 3 channels at LR size
        /// (lossless): the network learns its own anti-aliasing and resampling.
        case pixelUnshuffle
        /// HR is first shrunk by a fixed bicubic resize; R only models what comes after.
        case bicubic
    }

    /// HR size / LR size.
    public var scale = 4
    /// Length of the degradation embedding e = E(LR).
    public var embeddingSize = 512
    /// Feature channels of both networks.
    public var width = 64
    /// Residual blocks in E's feature extractor (DegAE uses a frozen 16-block MSRResNet trunk,
    /// whose weights are not available: ours is trained with the rest).
    public var encoderBlocks = 2
    /// Residual blocks of R, each followed by a modulated convolution driven by e.
    public var reconstructorBlocks = 4
    public var mapping = Mapping.pixelUnshuffle
    /// Whether the branch carries the HR-aware controller's head (QualityController): it
    /// predicts from e the quality indicator a true HR of that LR has.
    public var controller = false
    /// Whether the branch carries a degradation-family classifier on e (FamilyClassifier): in
    /// pretraining its cross-entropy teaches E to tell the families apart.
    public var familyClassifier = false
    /// Whether R's residual over the area shrink passes through a gate read from e
    /// (2 sigmoid(w.e + b), starting at 1): a demodulated R cannot scale its own output down,
    /// and where e says "almost a plain shrink" the best residual is almost none.
    public var residualGate = false
    /// Whether the shrink R adds its residual to is a per-picture blend, read from e, of a bank
    /// of blurred area, bilinear and bicubic shrinks (LinearDegradationBank) instead of the
    /// plain area shrink: the linear part of a degradation (blur and resampler) is then
    /// modelled exactly rather than rebuilt by R's convolutions.
    public var degradationBank = false

    public init() {}

    /// The same network body (E and R's trunk), whatever optional heads and gate either has.
    package func hasTheSameBody(as other: ReconstructionConfiguration) -> Bool {
        var other = other
        other.controller = controller
        other.familyClassifier = familyClassifier
        other.residualGate = residualGate
        other.degradationBank = degradationBank
        return other == self
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scale = try container.decode(Int.self, forKey: .scale)
        embeddingSize = try container.decode(Int.self, forKey: .embeddingSize)
        width = try container.decode(Int.self, forKey: .width)
        encoderBlocks = try container.decode(Int.self, forKey: .encoderBlocks)
        reconstructorBlocks = try container.decode(Int.self, forKey: .reconstructorBlocks)
        mapping = try container.decode(Mapping.self, forKey: .mapping)
        // Branches saved before the controller existed have none.
        controller = try container.decodeIfPresent(Bool.self, forKey: .controller) ?? false
        // ... and before the family classifier, the residual gate and the degradation bank.
        familyClassifier = try container.decodeIfPresent(Bool.self, forKey: .familyClassifier) ?? false
        residualGate = try container.decodeIfPresent(Bool.self, forKey: .residualGate) ?? false
        degradationBank = try container.decodeIfPresent(Bool.self, forKey: .degradationBank) ?? false
    }
}
