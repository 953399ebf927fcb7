import Foundation

/// What one unit's adaptation took and reached, kept beside its weights (adapted/unit-NNN.json)
/// so that the report of a resumed job still shows units adapted by earlier runs.
public struct AdaptationUnitSummary: Codable, Equatable, Sendable {
    public var unit: Int
    /// Scene indices from 0, as in scenes.json.
    public var scenes: [Int]
    /// The frames adapted on.
    public var frames: [Int]
    public var seconds: Double
    public var iterations: Int
    /// Total loss (weighted L1 + weighted LPIPS) of the first and the last iteration.
    public var firstLoss: Double
    public var lastLoss: Double
    /// The stop rule's choice: the iterations after which the rendered weights were measured
    /// (0: the pretrained weights were kept), with the held-out loss of the pretrained and the
    /// kept weights; nil without held-out frames.
    public var keptIteration: Int?
    public var pretrainedValidation: Double?
    public var keptValidation: Double?
    /// The acceptance gate's decision (nil with the gate off): the weights rendered are the
    /// checkpoint it kept, or the pretrained ones.
    public var acceptance: AcceptanceDecision?

    package static func read(_ path: String) throws -> AdaptationUnitSummary? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try read(json: data, file: path)
    }

    /// `read` of the file's bytes; `file` names it in errors.
    static func read(json: Data, file: String) throws -> AdaptationUnitSummary {
        try WorkFileDecoding.decode(AdaptationUnitSummary.self, from: json, file: file, what: "an adaptation summary")
    }

    func write(to path: String) throws {
        try JSONEncoder.sorted.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
