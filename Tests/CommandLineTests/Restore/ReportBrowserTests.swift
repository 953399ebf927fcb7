import Foundation
import XCTest

/// report.html as a restorer meets it: in a real browser (Debian's headless Chromium), from
/// file:// with no network, its viewer driven by the same events a hand on the slider sends.
final class ReportBrowserTests: RestoreTestCase {
    /// Tall enough to show the viewer of the first dumped frame without scrolling.
    let window = (width: 1280, height: 2000)

    func testTheWipeSliderChangesThePictureShownAndTheTimelineShowsEveryScene() throws {
        let folder = try temporaryDirectory()
        let branch = try makeBranch(in: folder)
        let output = folder + "/restored.mkv", work = output + ".work"
        try filmsrSucceeding(["restore", try smallReel(in: folder), output, "--reconstruction", branch] + quickJob + ["--dump", "30"])
        let report = try String(contentsOfFile: work + "/report.html", encoding: .utf8)
        XCTAssertFalse(report.contains("<script src") || report.contains("<link"), "nothing loaded from outside the page")
        let browser = HeadlessChromium(test: self)

        // The DOM after the page's own script: three scenes on the timeline, each with a sampled
        // frame as its thumbnail, and the viewer showing unadapted | rendered split at the middle.
        let dom = try browser.dom(work + "/report.html")
        XCTAssertEqual(Self.matches(##"<a class="scene [a-z]+" href="#scene-(\d)""##, in: dom), ["1", "2", "3"])
        for thumbnail in Self.matches(#"<img src="(frames/\d{6}\.png)" alt="scene"#, in: dom) {
            XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/" + thumbnail), thumbnail)
        }
        XCTAssertEqual(Self.matches(#"<img src="(frames/\d{6}\.png)" alt="scene"#, in: dom).count, 3)
        XCTAssertTrue(dom.contains("clip-path: inset(0px 50% 0px 0px)") || dom.contains("clip-path: inset(0 50% 0 0)"), "wipe at the middle")

        // Left of the wipe the LR enlarged, right the rendered SR; then the wipe moved from the
        // middle to a tenth, as dragging the slider does.
        let chooseLR = "left.value = 'dump/frame_000030.lr.png'; left.dispatchEvent(new Event('change'));"
        let middle = try probe(report, in: work, named: "still", chooseLR)
        let moved = try probe(report, in: work, named: "moved", chooseLR + " wipe.value = 100; wipe.dispatchEvent(new Event('input'));")
        let zoomed = try probe(report, in: work, named: "zoomed", "zoom.value = '2'; zoom.dispatchEvent(new Event('change'));")

        let movedState = try pageState(browser.dom(moved, width: window.width, height: window.height))
        XCTAssertEqual(movedState["divider"] as? String, "10%")
        XCTAssertEqual(movedState["tagLeft"] as? String, "LR, enlarged")
        XCTAssertTrue((movedState["over"] as? String ?? "").hasSuffix("dump/frame_000030.lr.png"))
        // The zoom sizes the picture at twice the SR pixels (the reel's 64 x 48 at x4 is 256 wide).
        XCTAssertEqual(try pageState(browser.dom(zoomed, width: window.width, height: window.height))["stageWidth"] as? Double, 2 * 256)

        let stage = try pageState(browser.dom(middle, width: window.width, height: window.height))
        let left = stage["left"] as! Double, top = stage["top"] as! Double, width = stage["width"] as! Double, height = stage["height"] as! Double
        XCTAssertTrue(height > 200 && top + height <= Double(window.height), "the viewer is on screen: \(stage)")
        let before = try browser.screenshot(middle, width: window.width, height: window.height)
        let after = try browser.screenshot(moved, width: window.width, height: window.height)
        /// Mean absolute difference (0-255) of the two screenshots over a band of the viewer.
        func change(from start: Double, to end: Double) -> Double {
            let rows = Int(top + 0.1 * height)..<Int(top + 0.9 * height)
            let columns = Int(left + start * width)..<Int(left + end * width)
            var total = 0
            for y in rows {
                for x in columns {
                    for channel in 0..<3 {
                        let index = 3 * (y * window.width + x) + channel
                        total += abs(Int(before[index]) - Int(after[index]))
                    }
                }
            }
            return Double(total) / Double(3 * rows.count * columns.count)
        }
        let uncovered = change(from: 0.12, to: 0.48), kept = change(from: 0.01, to: 0.09), right = change(from: 0.52, to: 0.99)
        print("wipe moved: mean change \(uncovered) between 10% and 50%, \(kept) left of it, \(right) right of the middle")
        XCTAssertGreaterThan(uncovered, 2, "the band the wipe uncovered now shows the SR instead of the LR")
        XCTAssertLessThan(kept, 0.5, "left of the wipe still the LR")
        XCTAssertLessThan(right, 0.5, "right of the middle the SR, before and after")
    }

    /// A copy of the report beside it (so its relative links hold) whose extra script, once every
    /// picture has loaded, acts on the first viewer (`action` sees its controls by name) and
    /// records what it shows in the body's data-state attribute.
    func probe(_ report: String, in work: String, named name: String, _ action: String) throws -> String {
        let script = """
            <script>
            (function () {
              var box = document.querySelector('figure.comparison');
              var left = box.querySelector('select.left'), wipe = box.querySelector('input.wipe'), zoom = box.querySelector('select.zoom');
              \(action)
              window.addEventListener('load', function () {
                var stage = box.querySelector('.stage'), bounds = stage.getBoundingClientRect();
                document.body.dataset.state = JSON.stringify({
                  left: bounds.left, top: bounds.top, width: bounds.width, height: bounds.height,
                  stageWidth: stage.offsetWidth, divider: box.querySelector('.divider').style.left,
                  over: box.querySelector('img.over').src, tagLeft: box.querySelector('.tag-left').textContent });
              });
            })();
            </script>
            """
        let path = work + "/report-\(name).html"
        try report.replacingOccurrences(of: "</body>", with: script + "\n</body>").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func pageState(_ dom: String) throws -> [String: Any] {
        let attribute = try XCTUnwrap(Self.matches(#"data-state="([^"]*)""#, in: dom).first, "the probe recorded nothing")
        let json = attribute.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) }
    }
}
