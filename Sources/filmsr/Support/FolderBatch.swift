import ArgumentParser
import Foundation
import Media
import Pipeline

/// For the commands that take a folder of films in place of one film.
struct BatchOptions: ParsableArguments {
    @Flag(help: "With a folder as input: take the films in its subfolders too (outputs keep their subfolders).")
    var recursive = false
}

extension FilmBatch {
    static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// Does every film of `input` into the folder `output` with `work` (which returns the detail
    /// column, e.g. the scene count), writes the collection's `index` page, prints the summary on
    /// standard output, and exits 1 when a film failed, after the others were done.
    static func runCommand(
        input: String, output: String, batch: BatchOptions, detailHeading: String = "", doneWord: String,
        index: ([Report]) throws -> Void = { _ in },
        _ work: (Film, @escaping JobEvents) throws -> String
    ) throws {
        if FileManager.default.fileExists(atPath: output) && !isFolder(output) {
            throw MediaError(output, "is a file: with a folder of films as input, the output is a folder")
        }
        let films = try FilmBatch(folder: input, outputFolder: output, recursive: batch.recursive)
        guard !films.films.isEmpty else {
            throw MediaError(input, "holds no video file" + (batch.recursive ? "" : " (--recursive looks in subfolders)"))
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let terminal = TerminalEvents()
        let reports = films.run(events: terminal.handle) { film in try work(film, terminal.handle) }
        try index(reports)
        print(summary(reports, detailHeading: detailHeading, doneWord: doneWord))
        if reports.contains(where: { if case .failed = $0.outcome { true } else { false } }) { throw ExitCode(1) }
    }
}
