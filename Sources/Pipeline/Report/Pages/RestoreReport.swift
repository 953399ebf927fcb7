import Foundation
import Media

/// WORK/report.html: one static page a restorer opens in a browser to see what a restore job
/// did: its input and options, every scene with its adaptation's cost and loss, each unit's loss
/// curve, and a before/after viewer of the frames dumped by this or any earlier run.
/// Self-contained (inline CSS, SVG and script, pictures linked relative to the work folder);
/// every string from outside is escaped.
struct RestoreReport {
    var input: String
    var output: String
    var options: RestoreOptions
    var scenes: [Scene]
    var units: [AdaptationUnit]
    var folder: RestoreWorkFolder
    var generated = Date()
    /// nil while rendering has not finished.
    var renderSeconds: Double?

    /// Atomically, so that a browser never shows half a page.
    func write() throws {
        try page().write(to: folder.report)
    }

    func html() throws -> String { try page().html() }

    func page() throws -> HTMLPage {
        var unitOfScene = [Int: AdaptationUnit]()
        for unit in units { for scene in unit.scenes { unitOfScene[scene] = unit } }
        let summaries = try units.map { try AdaptationUnitSummary.read(folder.unitSummary(unit: $0.index)) }
        let name = (input as NSString).lastPathComponent
        var body: [String] = []
        body.append("<h1>Restore report: \(e(name))</h1>")
        body.append(table(rows: [
            ("Input", input), ("Output", output), ("Work folder", folder.path),
            ("Report written", ISO8601DateFormatter.string(from: generated, timeZone: .current, formatOptions: [.withInternetDateTime])),
            ("Rendering", renderSeconds.map { String(format: "done in %.1f s", $0) } ?? "not finished"),
            ("Scenes", "\(scenes.count) in \(scenes.last.map { $0.lastFrame + 1 } ?? 0) frames, \(units.count) adaptation units"),
        ]))
        body.append("<h2>Timeline</h2>")
        body.append(SceneTimeline(scenes: scenes, units: units, summaries: summaries, folder: folder).html())

        body.append("<h2>Scenes</h2>")
        body.append("<table><thead><tr><th>scene</th><th>first frame</th><th>frames</th><th>start</th><th>end</th>"
                    + "<th>unit</th><th>adaptation s</th><th>loss first → last</th><th>held-out loss pretrained → kept (iteration)</th>"
                    + "<th>rendered</th><th>why</th></tr></thead><tbody>")
        for scene in scenes {
            let unit = unitOfScene[scene.index]
            let summary = unit.flatMap { summaries[$0.index] }
            let heldOut = summary.flatMap { summary in
                summary.keptIteration.map { String(format: "%.4f → %.4f (%d)", summary.pretrainedValidation ?? 0, summary.keptValidation ?? 0, $0) }
            }
            let rendered = RenderedWeights(summary)
            let cells: [String] = [String(scene.index + 1), String(scene.firstFrame), String(scene.frameCount),
                         SceneList.timecode(scene.startTime), SceneList.timecode(scene.endTime),
                         unit.map { String($0.index + 1) } ?? "–",
                         summary.map { String(format: "%.1f", $0.seconds) } ?? "–",
                         summary.map { String(format: "%.4f → %.4f", $0.firstLoss, $0.lastLoss) } ?? "–",
                         heldOut ?? "–", rendered.summary, rendered.reason]
            body.append("<tr id=\"scene-\(scene.index + 1)\" class=\"\(rendered.style)\">" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>")
        }
        body.append("</tbody></table>")

        body.append(Self.acceptanceTable(units: units, summaries: summaries))

        let dumped = Self.dumpedFrames(in: folder)
        if !dumped.isEmpty {
            body.append("<h2>Dumped frames</h2><p>Drag across a picture, or move the wipe, to compare two stages pixel for pixel: "
                        + "the LR frame enlarged (nearest neighbour), the pretrained model's SR (unadapted) and the SR the film "
                        + "holds (rendered). The zoom enlarges without smoothing.</p>")
        }
        for frame in dumped {
            body.append(comparison(of: frame, unitOfScene: unitOfScene))
        }

        body.append("<h2>Adaptation loss</h2>")
        for unit in units {
            let sceneNumbers = unit.scenes.map { String($0 + 1) }.joined(separator: ", ")
            let title = "Unit \(unit.index + 1) (scene\(unit.scenes.count == 1 ? "" : "s") \(sceneNumbers))"
            let curve = try Self.lossCurve(folder.lossLog(unit: unit.index))
            if curve.isEmpty {
                body.append("<p>\(e(title)): not adapted yet.</p>")
            } else {
                let plot = LossCurvePlot(points: curve, title: title, yLabel: "loss (weighted L1 + LPIPS)")
                body.append("<figure class=\"plot\">\(plot.svg())<figcaption>\(e(title)), \(curve.count) iterations on \(unit.frames.count) frames</figcaption></figure>")
            }
        }

        body.append("<h2>Options</h2>")
        body.append(table(rows: try Self.flattened(options)))
        return HTMLPage(title: "FilmSR restore report: \(name)", body: body, script: dumped.isEmpty ? "" : FrameComparison.script)
    }

    /// The viewer of one dumped frame (LR enlarged, unadapted and rendered SR), or, when some of
    /// its pictures are missing, whichever of them are there as links.
    private func comparison(of frame: Int, unitOfScene: [Int: AdaptationUnit]) -> String {
        let scene = scenes.last { $0.firstFrame <= frame }
        let place = scene.map { "scene \($0.index + 1)" + (unitOfScene[$0.index].map { ", unit \($0.index + 1)" } ?? "") } ?? ""
        let caption = "Frame \(frame)" + (place.isEmpty ? "" : " (\(place))")
        let present = DumpedPicture.allCases.filter { FileManager.default.fileExists(atPath: folder.dump(frame: frame, $0)) }
        let links = present.map { FrameComparison.Picture(file: RestoreWorkFolder.dumpName(frame: frame, $0), label: $0.rawValue) }
        let viewed: [(DumpedPicture, String)] = [(.lr, "LR, enlarged"), (.baseline, "unadapted SR"), (.adapted, "rendered SR")]
        guard viewed.allSatisfy({ present.contains($0.0) }) else {
            return "<p>\(e(caption)): pictures \(FrameComparison.linkList(links))</p>"
        }
        return FrameComparison(
            id: "frame-\(frame)", caption: caption,
            pictures: viewed.map { FrameComparison.Picture(file: RestoreWorkFolder.dumpName(frame: frame, $0.0), label: $0.1) },
            left: 1, right: 2, links: links, size: FrameComparison.pngSize(folder.dump(frame: frame, .baseline))).html()
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    private func table(rows: [(String, String)]) -> String {
        "<table><tbody>" + rows.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined() + "</tbody></table>"
    }

    /// The options as "adaptation.iterations" = "100" rows, in key order.
    static func flattened(_ options: RestoreOptions) throws -> [(String, String)] {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder.sorted.encode(options))
        var rows: [(String, String)] = []
        func visit(_ value: Any, _ key: String) {
            if let dictionary = value as? [String: Any], !dictionary.isEmpty {
                for name in dictionary.keys.sorted() { visit(dictionary[name]!, key.isEmpty ? name : key + "." + name) }
            } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
                rows.append((key, String(decoding: data, as: UTF8.self)))
            }
        }
        visit(object, "")
        return rows
    }

    /// Every candidate the acceptance gate measured, with its signals (relative to the
    /// pretrained weights on the unit's unseen frames) and why it was or was not rendered.
    static func acceptanceTable(units: [AdaptationUnit], summaries: [AdaptationUnitSummary?]) -> String {
        let decided = units.compactMap { unit in summaries[unit.index]?.acceptance.map { (unit, $0) } }
        guard !decided.isEmpty else { return "" }
        var rows = ["<h2>Acceptance gate</h2><p>Signals of each candidate against the pretrained weights on frame pairs that "
                    + "fine-tuning never saw (relative changes; positive is the direction of harm).</p>",
                    "<table><thead><tr><th>unit</th><th>candidate</th><th>loss</th><th>flat-area detail</th><th>frame-to-frame change</th>"
                    + "<th>back-projection error</th><th>decision</th></tr></thead><tbody>"]
        for (unit, decision) in decided {
            for candidate in decision.candidates {
                let signals = candidate.signals
                let verdict = decision.keeps(iteration: candidate.iteration, share: candidate.share)
                    ? "rendered" : (candidate.rejection ?? "accepted, not the one preferred")
                let cells = [String(unit.index + 1), AcceptanceGate.label(candidate.iteration, candidate.share)]
                    + [signals.lossChange, signals.flatDetailChange, signals.temporalChange, signals.backProjectionChange].map { String(format: "%+.1f%%", 100 * $0) }
                    + [verdict]
                rows.append("<tr>" + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>")
            }
            if decision.keptIteration == 0 {
                rows.append("<tr><td>\(unit.index + 1)</td><td>0</td><td colspan=\"4\"></td><td>rendered: \(HTMLText.escape(decision.reason))</td></tr>")
            }
        }
        rows.append("</tbody></table>")
        return rows.joined(separator: "\n")
    }

    /// (iteration from 1, total loss) from a unit's loss log; empty when there is none yet.
    static func lossCurve(_ path: String) throws -> [(x: Double, y: Double)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: "\t")
            guard fields.count >= 4, let iteration = Double(fields[0]), let total = Double(fields[3]) else {
                throw PipelineError("\(path): not a loss log (iteration, l1, lpips, total)")
            }
            return (iteration + 1, total)
        }
    }

    /// Frames with a side-by-side picture in dump/, in order.
    static func dumpedFrames(in folder: RestoreWorkFolder) -> [Int] {
        let suffix = "." + DumpedPicture.sideBySide.rawValue + ".png"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.dumpFolder)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("frame_"), name.hasSuffix(suffix) else { return nil }
            return Int(name.dropFirst("frame_".count).dropLast(suffix.count))
        }.sorted()
    }
}
