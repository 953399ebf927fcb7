import Engine
import Foundation

/// LWay's LR reconstruction branch: the degradation encoder E and the reconstructor R,
/// trained together on (HR, degraded LR) pairs and frozen afterwards, when R(S(LR), E(LR))
/// should give back the LR that the SR model S was fed.
public final class ReconstructionBranch {
    public let configuration: ReconstructionConfiguration
    /// E: LR (n, 3, h, w) -> embedding (n, embeddingSize, 1, 1).
    public let encoder: Graph
    /// R: [HR (n, 3, h * scale, w * scale), embedding] -> LR estimate (n, 3, h, w).
    public let reconstructor: Graph
    /// With `configuration.controller`: embedding -> the quality indicator (n, 1, 1, 1) that a
    /// true HR picture of that LR has (QualityController).
    public let qualityHead: Graph?
    /// With `configuration.familyClassifier`: embedding -> logits of the degradation family
    /// (n, families, 1, 1), used in pretraining only (FamilyClassifier).
    public let familyHead: Graph?

    static let format = "filmsr-reconstruction-branch/1"

    /// The branch trained by scripts/train-recon.sh and committed with the code:
    /// $FILMSR_RECONSTRUCTION, else weights/reconstruction-x4.safetensors (see AssetLocation).
    public static var defaultPath: String {
        AssetLocation.find("weights/reconstruction-x4.safetensors", environmentVariable: "FILMSR_RECONSTRUCTION")
    }

    /// The branch with the HR-aware controller, by scripts/train-recon-controller.sh:
    /// $FILMSR_RECONSTRUCTION_CONTROLLER, else weights/reconstruction-x4-controller.safetensors.
    public static var defaultControllerPath: String {
        AssetLocation.find("weights/reconstruction-x4-controller.safetensors", environmentVariable: "FILMSR_RECONSTRUCTION_CONTROLLER")
    }

    /// The branch with the degradation bank (issue 4), by scripts/train-recon-bank.sh:
    /// $FILMSR_RECONSTRUCTION_BANK, else weights/reconstruction-x4-bank.safetensors.
    public static var defaultBankPath: String {
        AssetLocation.find("weights/reconstruction-x4-bank.safetensors", environmentVariable: "FILMSR_RECONSTRUCTION_BANK")
    }

    /// A freshly initialised branch; the same seed gives the same weights.
    public init(configuration: ReconstructionConfiguration = ReconstructionConfiguration(), seed: UInt64 = 1) {
        self.configuration = configuration
        encoder = DegradationEncoder.build(configuration, seed: seed)
        reconstructor = Reconstructor.build(configuration, seed: seed &+ 1)
        qualityHead = configuration.controller ? QualityController.buildHead(configuration, seed: seed &+ 2) : nil
        familyHead = configuration.familyClassifier ? FamilyClassifier.buildHead(configuration, seed: seed &+ 3) : nil
    }

    public var parameters: [Parameter] {
        encoder.parameters + reconstructor.parameters + (qualityHead?.parameters ?? []) + (familyHead?.parameters ?? [])
    }

    public var minimumLRSize: Int { DegradationEncoder.minimumInputSize }

    /// Embeddings of a batch of LR pictures (inference: nothing kept for backward).
    public func embed(_ lr: Tensor) throws -> Tensor {
        try checkLR(lr.shape)
        return try encoder.forward([lr])[0]
    }

    /// R(hr, embedding), inference.
    public func reconstruct(hr: Tensor, embedding: Tensor) throws -> Tensor {
        try checkHR(hr.shape)
        return try reconstructor.forward([hr, embedding])[0]
    }

    func checkLR(_ shape: Shape) throws {
        guard shape.channels == 3, min(shape.height, shape.width) >= minimumLRSize else {
            throw PipelineError("the degradation encoder needs RGB pictures of at least \(minimumLRSize)x\(minimumLRSize), got \(shape)")
        }
    }

    func checkHR(_ shape: Shape) throws {
        let scale = configuration.scale
        guard shape.channels == 3, shape.height % scale == 0, shape.width % scale == 0 else {
            throw PipelineError("the reconstructor needs RGB pictures whose sides are multiples of \(scale), got \(shape)")
        }
    }

    // MARK: Files

    /// Writes the weights (and `metadata`, plus the configuration) as safetensors, atomically.
    public func save(to path: String, metadata: [String: String] = [:], extraEntries: [Safetensors.Entry] = [],
                     precision: Safetensors.Precision = .float32) throws {
        var metadata = metadata
        metadata["format"] = Self.format
        metadata["configuration"] = String(decoding: try JSONEncoder.sorted.encode(configuration), as: UTF8.self)
        try Safetensors.write(parameters.map(\.entry) + extraEntries, metadata: metadata, precision: precision, to: path)
    }

    /// Reads a branch saved by `save`; the file's configuration decides the architecture.
    public static func load(from path: String) throws -> (branch: ReconstructionBranch, metadata: [String: String], entries: [Safetensors.Entry]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError("\(path): no such reconstruction-branch checkpoint")
        }
        let (entries, metadata) = try Safetensors.read(path)
        guard metadata["format"] == format, let json = metadata["configuration"],
              let configuration = try? JSONDecoder().decode(ReconstructionConfiguration.self, from: Data(json.utf8)) else {
            throw PipelineError("\(path): not a reconstruction-branch checkpoint (it was not written by filmsr lab train recon)")
        }
        let branch = ReconstructionBranch(configuration: configuration)
        try Checkpoint.assign(entries, readFrom: path, to: branch.parameters)
        return (branch, metadata, entries)
    }

    /// Freezes (or unfreezes) every weight of E and R.
    public func setTrainable(_ trainable: Bool) {
        for parameter in parameters { parameter.isTrainable = trainable }
    }
}
