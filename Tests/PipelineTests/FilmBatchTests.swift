import Foundation
import TestSupport
import XCTest

@testable import Pipeline

final class FilmBatchTests: XCTestCase {
    func makeFolder(_ files: [String]) throws -> String {
        let root = try temporaryFolder()
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: path))
        }
        return root
    }

    func testFilmsAreTheVideosInNameOrderWithOutputsAtTheSamePlaces() throws {
        let root = try makeFolder([
            "b.MP4", "a.mkv", "notes.txt", ".hidden.mp4", "a.mkv.work/frame.mkv", "sub/c.mpg", "out/old.mkv",
            "x.mkv.filmsr-tmp1"
        ])
        let flat = try FilmBatch(folder: root, outputFolder: root + "/out", recursive: false)
        XCTAssertEqual(flat.films.map(\.name), ["a.mkv", "b.MP4"])
        XCTAssertEqual(flat.films.map(\.output), [root + "/out/a.mkv", root + "/out/b.mkv"])
        let deep = try FilmBatch(folder: root, outputFolder: root + "/out", recursive: true)
        XCTAssertEqual(deep.films.map(\.name), ["a.mkv", "b.MP4", "sub/c.mpg"], "the output folder inside is passed over")
        XCTAssertEqual(deep.films.last?.output, root + "/out/sub/c.mkv")
    }

    func testTwoFilmsWritingOneOutputAreRefusedBeforeAnyWork() throws {
        let root = try makeFolder(["a.mp4", "a.mov"])
        XCTAssertThrowsError(try FilmBatch(folder: root, outputFolder: root + "/out", recursive: false)) { error in
            XCTAssertTrue("\(error)".contains("'a.mov' and 'a.mp4' would both be written to"), "\(error)")
        }
        XCTAssertThrowsError(try FilmBatch(folder: root + "/none", outputFolder: root + "/out", recursive: false))
    }

    func testAFailureIsReportedAndTheNextFilmGoesOnAndDoneOutputsAreSkipped() throws {
        let root = try makeFolder(["a.mp4", "b.mp4", "c.mp4", "out/c.mkv"])
        let batch = try FilmBatch(folder: root, outputFolder: root + "/out", recursive: false)
        var messages: [String] = []
        var done: [String] = []
        let collect: JobEvents = { if case .message(let line) = $0 { messages.append(line) } }
        let reports = batch.run(events: collect) { film in
            if film.name == "a.mp4" { throw PipelineError("\(film.input): damaged") }
            done.append(film.name)
            return "3"
        }
        XCTAssertEqual(done, ["b.mp4"])
        XCTAssertEqual(reports.map(\.outcome), [.failed("\(root)/a.mp4: damaged"), .done(detail: "3"), .doneBefore])
        XCTAssertTrue(messages.contains("film 1/3: a.mp4 failed: \(root)/a.mp4: damaged"), "\(messages)")
        let summary = FilmBatch.summary(reports, detailHeading: "scenes", doneWord: "restored").split(separator: "\n")
        XCTAssertEqual(summary.count, 5)
        XCTAssertTrue(summary[2].hasPrefix("b.mp4  3 ") && summary[2].hasSuffix("restored"), "\(summary)")
        XCTAssertEqual(summary.last, "1 restored, 1 done before, 1 failed")
    }
}
