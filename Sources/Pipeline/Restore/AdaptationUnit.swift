import Foundation

/// Scenes that share one adapted set of weights, and the frames they adapt on.
public struct AdaptationUnit: Codable, Equatable, Sendable {
    public var index: Int
    public var scenes: [Int]
    public var frames: [Int]
    /// First frames of the consecutive pairs the acceptance gate measures on (EvidenceFrames).
    public var evidence: [Int] = []
}

extension AdaptationUnit {
    /// Reads units.json as `restore` wrote it for `scenes`; `file` names it in errors. Every unit
    /// is numbered by its place, adapts on scenes that exist, and its frames lie in the film.
    static func readList(json: Data, file: String, scenes: [Scene]) throws -> [AdaptationUnit] {
        let units = try WorkFileDecoding.decode([AdaptationUnit].self, from: json, file: file, what: "a list of adaptation units")
        let frames = 0..<(scenes.last.map { $0.firstFrame + $0.frameCount } ?? 0)
        for (position, unit) in units.enumerated() {
            guard unit.index == position else { throw PipelineError("\(file): unit \(position + 1) is numbered \(unit.index)") }
            guard !unit.scenes.isEmpty, unit.scenes.allSatisfy(scenes.indices.contains) else {
                throw PipelineError("\(file): unit \(position + 1) names scenes \(unit.scenes), the film has \(scenes.count)")
            }
            // An evidence pair is a frame and the next one.
            guard unit.frames.allSatisfy(frames.contains), unit.evidence.allSatisfy({ frames.contains($0) && frames.contains($0 + 1) }) else {
                throw PipelineError("\(file): unit \(position + 1) names frames outside the film's \(frames.count)")
            }
        }
        return units
    }
}
