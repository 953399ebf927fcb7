import Foundation
import Media

/// A folder of films done one after another (`restore FOLDER OUTFOLDER`, and `upscale` and
/// `transcode` alike): each film's output keeps its path under the folder, each is done on its
/// own so that one that fails leaves the others going, and a film whose output exists is not done
/// again (outputs appear only when complete), so a second run picks up where the first stopped.
public struct FilmBatch: Sendable {
    public struct Film: Sendable, Equatable {
        /// The path under the input folder: "reel 2/part1.mp4".
        public let name: String
        public let input: String
        public let output: String
    }

    /// What happened to one film.
    public enum Outcome: Sendable, Equatable {
        /// Done in this run; `detail` is what the summary's detail column shows ("5 scenes").
        case done(detail: String)
        /// Its output was there already.
        case doneBefore
        case failed(String)
    }

    public struct Report: Sendable, Equatable {
        public let film: Film
        public let outcome: Outcome
        public let seconds: Double
    }

    /// Extensions of the files taken as films: video containers archives hold, compared without case.
    public static let videoExtensions: Set<String> = [
        "mkv", "mp4", "m4v", "mov", "avi", "mpg", "mpeg", "m2v", "vob", "ts", "m2ts",
        "mts", "mxf", "dv", "webm", "ogv", "flv", "wmv", "3gp"
    ]

    public let films: [Film]

    /// The films in `folder` (and its subfolders with `recursive`), in name order, each with its
    /// output under `outputFolder` at the same relative path with the extension `outputExtension`.
    /// Hidden files, work folders and the output folder itself (when it lies inside) are passed over.
    public init(folder: String, outputFolder: String, recursive: Bool, outputExtension: String = "mkv") throws {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        let outputRoot = URL(fileURLWithPath: outputFolder).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw MediaError(folder, "no such folder")
        }
        var names: [String] = []
        func visit(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            let entries: [String]
            do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch { throw MediaError(path, "cannot list the folder") }
            for entry in entries where !entry.hasPrefix(".") && !entry.hasSuffix(".work") && !entry.contains(".filmsr-tmp") {
                let name = relative.isEmpty ? entry : relative + "/" + entry
                var entryIsFolder: ObjCBool = false
                FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &entryIsFolder)
                if entryIsFolder.boolValue {
                    if recursive && root + "/" + name != outputRoot { try visit(name) }
                } else if Self.videoExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                    names.append(name)
                }
            }
        }
        try visit("")
        films = names.sorted().map { name in
            Film(
                name: name, input: root + "/" + name,
                output: outputRoot + "/" + ((name as NSString).deletingPathExtension as String) + "." + outputExtension)
        }
        var firstWithOutput: [String: String] = [:]
        for film in films {
            if let other = firstWithOutput[film.output] {
                throw MediaError(folder, "'\(other)' and '\(film.name)' would both be written to \(film.output); rename one")
            }
            firstWithOutput[film.output] = film.name
        }
    }

    /// Does every film in turn with `work` (which returns the summary's detail), unless its output
    /// exists; a film that throws is reported and the next one goes on.
    public func run(events: JobEvents, _ work: (Film) throws -> String) -> [Report] {
        films.enumerated().map { index, film in
            let started = Date()
            let outcome: Outcome
            if FileManager.default.fileExists(atPath: film.output) {
                outcome = .doneBefore
            } else {
                events(.message("film \(index + 1)/\(films.count): \(film.name)"))
                do {
                    try FileManager.default.createDirectory(
                        atPath: (film.output as NSString).deletingLastPathComponent,
                        withIntermediateDirectories: true)
                    outcome = .done(detail: try work(film))
                } catch {
                    let message = String(describing: error)
                    events(.message("film \(index + 1)/\(films.count): \(film.name) failed: \(message)"))
                    outcome = .failed(message)
                }
            }
            return Report(film: film, outcome: outcome, seconds: Date().timeIntervalSince(started))
        }
    }

    /// The summary: a row per film (film, `detailHeading`'s column, time, result; the result last,
    /// since a failure's message is long), then the count of each result.
    public static func summary(_ reports: [Report], detailHeading: String, doneWord: String) -> String {
        let rows = reports.map { report -> [String] in
            let time = ProgressLine.duration(report.seconds)
            switch report.outcome {
            case .done(let detail): return [report.film.name, detail, time, doneWord]
            case .doneBefore: return [report.film.name, "", "", "done before"]
            case .failed(let message): return [report.film.name, "", time, "failed: " + message]
            }
        }
        let table = [["film", detailHeading, "time", "result"]] + rows
        let widths = (0..<3).map { column in table.map { $0[column].count }.max() ?? 0 }
        let lines = table.map { row in
            ((0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) } + [row[3]]).joined(separator: "  ")
        }
        let failed = reports.filter { if case .failed = $0.outcome { true } else { false } }.count
        let before = reports.filter { $0.outcome == .doneBefore }.count
        return (lines + ["\(reports.count - failed - before) \(doneWord), \(before) done before, \(failed) failed"]).joined(separator: "\n")
    }
}
