import Foundation

/// OUTFOLDER/index.html after `restore FOLDER OUTFOLDER`: one page over the batch's films, each
/// with a thumbnail, what became of it, its scenes and which weights rendered them, and a link to
/// its own report. Rewritten by every run of the batch, so films done by earlier runs keep their
/// rows; links are relative where the work folders lie under the output folder (the default), so
/// the folder can be moved or shared whole.
public struct CollectionIndex {
    public struct Film {
        public var report: FilmBatch.Report
        public var workFolder: RestoreWorkFolder

        public init(report: FilmBatch.Report, workFolder: RestoreWorkFolder) {
            self.report = report
            self.workFolder = workFolder
        }
    }

    public var title: String
    public var films: [Film]
    public var generated = Date()

    public init(title: String, films: [Film]) {
        self.title = title
        self.films = films
    }

    public func write(into outputFolder: String) throws {
        try page(at: outputFolder).write(to: Self.path(in: outputFolder))
    }

    public static func path(in outputFolder: String) -> String { (outputFolder as NSString).appendingPathComponent("index.html") }

    func page(at outputFolder: String) -> HTMLPage {
        let root = URL(fileURLWithPath: outputFolder).standardizedFileURL.path
        var body = [
            "<h1>\(HTMLText.escape(title))</h1>",
            "<p>\(films.count) films; page written \(ISO8601DateFormatter.string(from: generated, timeZone: .current, formatOptions: [.withInternetDateTime])).</p>",
            "<table class=\"films\"><thead><tr><th></th><th>film</th><th>result</th><th>scenes</th><th>rendered weights</th>"
                + "<th>time</th><th>report</th></tr></thead><tbody>"
        ]
        for film in films {
            let folder = film.workFolder
            let scenes = (try? folder.readScenes()) ?? []
            let units = (try? folder.readUnits()) ?? []
            let rendered = units.map { RenderedWeights(try? AdaptationUnitSummary.read(folder.unitSummary(unit: $0.index))) }
            let link = { (file: String) in HTMLText.escape(Self.relativeLink(to: folder.file(file), from: root)) }
            let thumbnail = scenes.isEmpty ? nil : SceneTimeline.thumbnail(of: scenes[scenes.count / 2], units: units, folder: folder)
            let cells = [
                thumbnail.map { "<img src=\"\(link($0))\" alt=\"\(HTMLText.escape(film.report.film.name))\" loading=\"lazy\">" } ?? "",
                HTMLText.escape(film.report.film.name),
                HTMLText.escape(Self.result(film.report.outcome)),
                scenes.isEmpty ? "" : String(scenes.count),
                Self.weightsSummary(rendered),
                film.report.outcome == .doneBefore ? "" : HTMLText.escape(ProgressLine.duration(film.report.seconds)),
                FileManager.default.fileExists(atPath: folder.report) ? "<a href=\"\(link("report.html"))\">report</a>" : ""
            ]
            let style = if case .failed = film.report.outcome { " class=\"failed\"" } else { "" }
            body.append("<tr\(style)>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
        }
        body.append("</tbody></table>")
        return HTMLPage(title: title, body: body)
    }

    static func result(_ outcome: FilmBatch.Outcome) -> String {
        switch outcome {
        case .done: "restored"
        case .doneBefore: "restored by an earlier run"
        case .failed(let message): "failed: " + message
        }
    }

    /// "3 adapted, 2 pretrained" over a film's units, each count coloured as on the timelines.
    static func weightsSummary(_ rendered: [RenderedWeights]) -> String {
        let counts = [RenderedWeights.adapted(checkpoint: "", reason: ""), .pretrained(reason: ""), .notAdaptedYet].compactMap { kind -> String? in
            let count = rendered.filter { $0.style == kind.style }.count
            guard count > 0 else { return nil }
            let word = kind == .notAdaptedYet ? "not adapted yet" : kind.style
            return "<span class=\"\(kind.style)\"><span class=\"swatch\"></span> \(count) \(word)</span>"
        }
        return counts.joined(separator: " ")
    }

    /// `target` relative to the folder `root` when it lies inside it, else as a file URL.
    static func relativeLink(to target: String, from root: String) -> String {
        let path = URL(fileURLWithPath: target).standardizedFileURL.path
        guard path.hasPrefix(root + "/") else { return URL(fileURLWithPath: path).absoluteString }
        let relative = String(path.dropFirst(root.count + 1))
        return relative.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }
            .joined(separator: "/")
    }
}
