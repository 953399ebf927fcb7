import Foundation

/// Decodes one of the JSON files FilmSR writes and reads back (the work folder's job.json,
/// scenes.json, units.json, unit summaries): a file is untrusted input, so whatever is wrong with
/// it becomes one line naming the file, never JSONDecoder's multi-line report.
enum WorkFileDecoding {
    /// `what` names the kind of file in the error: "a scene list".
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw PipelineError("\(file): not \(what) (\(reason(error)))")
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
        @unknown default: return "cannot be decoded"
        }
        let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        let reason = field.isEmpty ? context.debugDescription : "\(field.hasPrefix(".") ? String(field.dropFirst()) : field): \(context.debugDescription)"
        // Keys are the file's own text and may hold line breaks.
        return reason.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
