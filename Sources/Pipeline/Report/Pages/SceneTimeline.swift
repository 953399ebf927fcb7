import Foundation

/// The report's strip of the film's scenes, each as wide as its share of the frames, with a
/// thumbnail, its number and a band coloured by which weights rendered it; each links to the
/// scene's row in the table below.
struct SceneTimeline {
    var scenes: [Scene]
    var units: [AdaptationUnit]
    var summaries: [AdaptationUnitSummary?]
    var folder: RestoreWorkFolder

    func html() -> String {
        var unitOfScene = [Int: AdaptationUnit]()
        for unit in units { for scene in unit.scenes { unitOfScene[scene] = unit } }
        let items = scenes.map { scene -> String in
            let unit = unitOfScene[scene.index]
            let rendered = unit.map { RenderedWeights(summaries[$0.index]) } ?? .notAdaptedYet
            let title =
                "Scene \(scene.index + 1): frames \(scene.firstFrame)–\(scene.lastFrame), "
                + "\(SceneList.timecode(scene.startTime))–\(SceneList.timecode(scene.endTime)); \(rendered.summary)"
            let picture =
                Self.thumbnail(of: scene, units: units, folder: folder).map {
                    "<img src=\"\(HTMLText.escape($0))\" alt=\"scene \(scene.index + 1)\" loading=\"lazy\">"
                } ?? "<span class=\"no-thumbnail\"></span>"
            return "<a class=\"scene \(rendered.style)\" href=\"#scene-\(scene.index + 1)\" style=\"flex-grow: \(scene.frameCount)\" "
                + "title=\"\(HTMLText.escape(title))\">\(picture)<span class=\"number\">\(scene.index + 1)</span></a>"
        }
        return "<div class=\"timeline\">" + items.joined() + "</div>"
            + "<p class=\"legend\"><span class=\"swatch adapted\"></span> adapted weights rendered "
            + "<span class=\"swatch pretrained\"></span> pretrained weights rendered <span class=\"swatch pending\"></span> not adapted yet</p>"
    }

    /// A frame of the scene that sampling kept in frames/ (the one nearest its middle), as a path
    /// relative to the work folder; nil when sampling kept none there.
    static func thumbnail(of scene: Scene, units: [AdaptationUnit], folder: RestoreWorkFolder) -> String? {
        let middle = scene.firstFrame + scene.frameCount / 2
        let sampled = Set(units.flatMap { $0.frames + $0.evidence }).filter { scene.firstFrame...scene.lastFrame ~= $0 }
        let nearest = sampled.sorted { abs($0 - middle) < abs($1 - middle) || (abs($0 - middle) == abs($1 - middle) && $0 < $1) }
        return nearest.lazy.map { RestoreWorkFolder.frameName($0) }.first { FileManager.default.fileExists(atPath: folder.file($0)) }
    }

    static let style = """
        .timeline { display: flex; gap: 2px; margin: 0.5em 0; overflow-x: auto; }
        .timeline .scene { flex-basis: 0; min-width: 3.5em; position: relative; border-bottom: 6px solid var(--decision);
          color: #fff; text-decoration: none; background: #333; }
        .timeline .scene img { display: block; width: 100%; height: 4.5em; object-fit: cover; image-rendering: auto; }
        .timeline .scene .no-thumbnail { display: block; height: 4.5em; }
        .timeline .scene .number { position: absolute; left: 0.2em; top: 0.1em; font-size: 0.8em; background: rgba(0,0,0,0.6); padding: 0 0.25em; }
        .legend { font-size: 0.85em; color: #555; }
        .swatch { display: inline-block; width: 0.9em; height: 0.9em; background: var(--decision); vertical-align: middle; margin-left: 0.8em; }
        """
}
