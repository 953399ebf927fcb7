import Foundation
import Media
import XCTest
@testable import Pipeline

/// The report page and its parts: escaping, the loss plot, links into the work folder.
final class RestoreReportTests: XCTestCase {
    func testHTMLTextEscapesMarkupAndQuotes() {
        XCTAssertEqual(HTMLText.escape(#"<a href="x">Tom & 'Jerry'</a>"#),
                       "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        XCTAssertEqual(HTMLText.escape("plain é"), "plain é")
    }

    func testLossPlotHasOnePointPerValueAndEscapedLabels() throws {
        let values = [0.5, 0.4, 0.45, 0.3, 0.2]
        let plot = LossCurvePlot(points: values.enumerated().map { (Double($0.offset + 1), $0.element) }, title: "Unit <1> & co")
        let svg = plot.svg()
        XCTAssertEqual(try Self.polylinePoints(svg).count, values.count)
        XCTAssertTrue(svg.contains("Unit &lt;1&gt; &amp; co"))
        XCTAssertFalse(svg.contains("<1>"))
        XCTAssertTrue(svg.contains(">iteration</text>") && svg.contains(">loss</text>"), "axes labelled")
        // The highest loss at the top of the plot, the lowest at the bottom.
        let points = try Self.polylinePoints(svg)
        XCTAssertLessThan(points[0].y, points[4].y)
        XCTAssertLessThan(points[0].x, points[4].x)

        let single = LossCurvePlot(points: [(1, 0.25)], title: "one").svg()
        XCTAssertEqual(try Self.polylinePoints(single).count, 1)
        XCTAssertTrue(single.contains("<circle"), "a single point is drawn as a dot")
    }

    func testPageEscapesNamesShowsEveryUnitAndLinksOnlyExistingFiles() throws {
        let folder = RestoreWorkFolder(NSTemporaryDirectory() + "filmsr-report-\(UUID().uuidString)")
        try folder.prepare()
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let scenes = [Scene(index: 0, firstFrame: 0, frameCount: 24, startTime: 0, endTime: 1),
                      Scene(index: 1, firstFrame: 24, frameCount: 48, startTime: 1, endTime: 3),
                      Scene(index: 2, firstFrame: 72, frameCount: 12, startTime: 3, endTime: 3.5)]
        let units = [AdaptationUnit(index: 0, scenes: [0, 2], frames: [3, 75]), AdaptationUnit(index: 1, scenes: [1], frames: [30])]
        // Unit 0 adapted (3 iterations), unit 1 not yet.
        try "iteration\tl1\tlpips\ttotal\n0\t0.1\t0.2\t0.3\n1\t0.1\t0.1\t0.2\n2\t0.05\t0.1\t0.15\n"
            .write(toFile: folder.lossLog(unit: 0), atomically: true, encoding: .utf8)
        try AdaptationUnitSummary(unit: 0, scenes: [0, 2], frames: [3, 75], seconds: 12.5, iterations: 3, firstLoss: 0.3, lastLoss: 0.15)
            .write(to: folder.unitSummary(unit: 0))
        // Frame 30 fully dumped; frame 80 with only its side-by-side picture.
        try FileManager.default.createDirectory(atPath: folder.dumpFolder, withIntermediateDirectories: true)
        for picture in DumpedPicture.allCases { FileManager.default.createFile(atPath: folder.dump(frame: 30, picture), contents: Data()) }
        FileManager.default.createFile(atPath: folder.dump(frame: 80, .sideBySide), contents: Data())
        // Sampled frames: only frame 3 (scene 1) kept in frames/.
        try FileManager.default.createDirectory(atPath: folder.framesFolder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder.frame(3), contents: Data())

        var report = RestoreReport(input: "/films/<Reel> & \"1\".mp4", output: "/out/r.mkv", options: RestoreOptions(),
                                   scenes: scenes, units: units, folder: folder)
        report.renderSeconds = 4
        try report.write()
        let html = try String(contentsOfFile: folder.report, encoding: .utf8)

        XCTAssertTrue(html.contains("&lt;Reel&gt; &amp; &quot;1&quot;.mp4"))
        XCTAssertFalse(html.contains("<Reel>"))
        XCTAssertFalse(html.contains("<script src") || html.contains("<link"), "no scripts or styles from elsewhere")
        XCTAssertFalse(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"),
                       "nothing fetched from elsewhere")
        let rows = Self.matches(of: #"<tr id="scene-\d+" class="[a-z]+"><td>(\d+)</td>"#, in: html)
        XCTAssertEqual(rows, ["1", "2", "3"], "one table row per scene")
        XCTAssertTrue(html.contains("0:00:01.000") && html.contains("0:00:03.500"), "timecodes")
        XCTAssertTrue(html.contains("0.3000 → 0.1500") && html.contains("12.5"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1, "a plot for the adapted unit only")
        XCTAssertTrue(html.contains("Unit 2 (scene 2): not adapted yet."))
        XCTAssertTrue(html.contains("done in 4.0 s"))
        XCTAssertTrue(html.contains("adaptation.iterations"), "options listed")

        // Frame 30 in the viewer with links to all its pictures, frame 80 as a link; thumbnails
        // of the sampled frames that exist (scene 1's frame 3); in-page links to the scene rows.
        let links = Self.matches(of: #"(?:href|src)="([^#"][^"]*)""#, in: html)
        XCTAssertEqual(Set(links), Set(DumpedPicture.allCases.map { RestoreWorkFolder.dumpName(frame: 30, $0) }
                                       + [RestoreWorkFolder.dumpName(frame: 80, .sideBySide), "frames/000003.png"]))
        XCTAssertEqual(Self.matches(of: ##"href="#(scene-\d)""##, in: html), ["scene-1", "scene-2", "scene-3"])
        XCTAssertEqual(Self.matches(of: #"<tr id="(scene-\d)""#, in: html), ["scene-1", "scene-2", "scene-3"])
        XCTAssertEqual(Self.matches(of: #"<figure class="comparison" id="([^"]*)""#, in: html), ["frame-30"])
        XCTAssertTrue(html.contains("<td>adapted, iteration 3</td><td>the last iteration (no held-out frames, gate off)</td>"))
        XCTAssertTrue(html.contains("<td>not adapted yet</td>"))
        for link in links {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path + "/" + link), "links a missing file: \(link)")
        }
    }

    func testSideBySideKeepsEachPictureInItsPlace() {
        let a = RGBImage(width: 2, height: 2, pixels: [Float](repeating: 0.25, count: 12))
        let b = RGBImage(width: 3, height: 2, pixels: [Float](repeating: 0.75, count: 18))
        let joined = InspectionPicture.sideBySide([a, b], gap: 1)
        XCTAssertEqual(joined.width, 6)
        XCTAssertEqual((0..<6).map { joined[0, 1, $0] }, [0.25, 0.25, 1, 0.75, 0.75, 0.75])
        let enlarged = InspectionPicture.enlarged(RGBImage(width: 2, height: 1, pixels: [0, 1, 0, 1, 0, 1]), by: 2)
        XCTAssertEqual((0..<4).map { enlarged[2, 1, $0] }, [0, 0, 1, 1])
    }

    static func polylinePoints(_ svg: String) throws -> [(x: Double, y: Double)] {
        let list = try XCTUnwrap(matches(of: #"<polyline[^>]* points="([^"]*)""#, in: svg).first)
        return list.split(separator: " ").map { pair in
            let xy = pair.split(separator: ",").compactMap { Double($0) }
            return (xy[0], xy[1])
        }
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }
}
