import Foundation
import Media

/// The frame shared by the pages filmsr writes for a restorer (a film's report.html, a batch's
/// index.html): one self-contained file, with its style and script inline and every picture
/// linked by a relative path, so that it opens from a disk or an archive's share with no network.
struct HTMLPage {
    var title: String
    var body: [String]
    /// Inline script run after the body is in place; empty for none.
    var script = ""

    func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        \(script.isEmpty ? "" : "<script>\n\(script)\n</script>")
        </body>
        </html>

        """
    }

    /// Atomically (a temporary file renamed over `path`), so that a browser never shows half a page.
    func write(to path: String) throws {
        do {
            try html().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw PipelineError("\(path): cannot write the page: " + MediaError.reason(error))
        }
    }

    static let style = """
        body { font-family: sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; margin-bottom: 1.5em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        td { font-variant-numeric: tabular-nums; }
        tr:target { background: #fff6cc; }
        figure { margin: 1em 0; }
        figure.plot { display: inline-block; margin-right: 1.5em; vertical-align: top; }
        img { max-width: 100%; image-rendering: pixelated; }
        figcaption { font-size: 0.9em; color: #555; }
        .adapted { --decision: #2e7d32; }
        .pretrained { --decision: #9e9e9e; }
        .pending { --decision: #e0a800; }
        .films img { height: 4.5em; width: auto; max-width: none; image-rendering: auto; }
        .films tr.failed td { color: #b00020; }
        \(SceneTimeline.style)
        \(FrameComparison.style)
        """
}
