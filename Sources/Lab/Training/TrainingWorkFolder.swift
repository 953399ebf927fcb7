import Engine
import Foundation
import Media
import Pipeline

/// The work folder of a resumable training run (`lab train recon`, `lab train far`): its options,
/// the last checkpoint (weights, optimiser moments, step), the loss and held-out logs (their
/// columns are the trainer's), and the trained result once the last step is done.
public struct TrainingWorkFolder: Sendable {
    public let path: String
    /// File name of the trained result inside the folder.
    let resultName: String

    init(_ path: String, resultName: String) {
        self.path = path
        self.resultName = resultName
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var options: String { file("options.json") }
    public var checkpoint: String { file("checkpoint.safetensors") }
    public var lossLog: String { file("loss.tsv") }
    public var validationLog: String { file("validation.tsv") }
    public var result: String { file(resultName) }
}

extension TrainingWorkFolder {
    /// Copies the trained result to `destination` (atomically), in float16 for weights to
    /// commit: half the size, 11 significant bits.
    public func exportResult(to destination: OutputPath, precision: Safetensors.Precision) throws {
        destination.discard()
        let (entries, metadata) = try Safetensors.read(result)
        try Safetensors.write(entries, metadata: metadata, precision: precision, to: destination.temporaryPath)
        try destination.commit()
    }
}
