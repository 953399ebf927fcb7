import Foundation
import Pipeline

/// A tab-separated log with a header line and one row per step, appended as work goes on and
/// cut back to the last checkpoint when a job resumes (rows after it are redone).
enum TabularLog {
    static func append(_ path: String, _ fields: [String]) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw PipelineError("\(path): cannot append to the log") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((fields.joined(separator: "\t") + "\n").utf8))
    }

    /// Keeps the header and the rows whose first field (a step) is below `limit`; creates the
    /// file with `header` when it does not exist.
    static func truncate(_ path: String, header: String, keepingStepsBelow limit: Int) throws {
        var lines = [header]
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            lines += text.split(separator: "\n").dropFirst().filter { line in
                Int(line.prefix { $0 != "\t" }).map { $0 < limit } ?? false
            }.map(String.init)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The value in `column` (0-based) of the last row, if any.
    static func lastValue(_ path: String, column: Int) throws -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let last = text.split(separator: "\n").dropFirst().last else { return nil }
        let fields = last.split(separator: "\t")
        return fields.count > column ? Double(fields[column]) : nil
    }
}
