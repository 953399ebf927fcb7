import Foundation

/// WORK/film.json: the film the join wrote, as it left it (path, size, modification time) and
/// what rendering it took. A later run that finds the output still as recorded knows the job is
/// done and renders nothing again (a kill after the join, say while the report is written,
/// costs no rendering); an output replaced since, or one that was there before the job (a fresh
/// folder has no record), is not taken for the job's.
package struct FinishedFilm: Codable, Equatable {
    var output: String
    var bytes: Int64
    var modified: Double
    package var renderSeconds: Double

    /// The film at `output` as it is now; nil when there is none.
    init?(output: String, renderSeconds: Double) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: output),
              let bytes = (attributes[.size] as? NSNumber)?.int64Value,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { return nil }
        self.output = output
        self.bytes = bytes
        self.modified = modified
        self.renderSeconds = renderSeconds
    }

    /// Records the film the join has just written at `complete`, about to be renamed `output`.
    static func record(_ complete: String, as output: String, renderSeconds: Double, in folder: RestoreWorkFolder) throws {
        guard var film = FinishedFilm(output: complete, renderSeconds: renderSeconds) else {
            throw PipelineError("\(output): missing right after the join wrote it")
        }
        film.output = output
        try JSONEncoder.sorted.encode(film).write(to: URL(fileURLWithPath: folder.finishedFilm), options: .atomic)
    }

    /// The record of the job's film when `output` is still that film; nil when the job has to
    /// render and join (again).
    static func find(_ output: String, in folder: RestoreWorkFolder) -> FinishedFilm? {
        guard let data = FileManager.default.contents(atPath: folder.finishedFilm),
              let recorded = try? JSONDecoder().decode(FinishedFilm.self, from: data),
              let now = FinishedFilm(output: output, renderSeconds: recorded.renderSeconds),
              now == recorded else { return nil }
        return recorded
    }
}
