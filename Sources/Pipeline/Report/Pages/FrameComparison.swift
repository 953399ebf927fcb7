import Foundation

/// The report's before/after viewer for one dumped frame: two of its pictures (LR enlarged,
/// unadapted SR, adapted SR) stacked at SR size, the left one cut off at a wipe line that a slider
/// (or a drag on the picture) moves, and a zoom to whole multiples of the pixels, drawn without
/// smoothing so that a restorer sees exactly what each stage made. Plain HTML, CSS and an inline
/// script; without the script the two pictures still show, split at the middle.
struct FrameComparison {
    struct Picture {
        /// Path relative to the page.
        var file: String
        /// What the picture is, as the viewer labels it.
        var label: String
    }

    var id: String
    var caption: String
    /// In the order the menus list them; at least two.
    var pictures: [Picture]
    /// The pictures shown first, left of the wipe and right of it (indices into `pictures`).
    var left: Int
    var right: Int
    /// Every picture of the frame, linked under the viewer.
    var links: [Picture] = []
    /// The SR size, from which the zoom is measured (LR pictures are stretched to it); nil when
    /// unknown, and the script takes the larger picture's.
    var size: (width: Int, height: Int)?

    func html() -> String {
        func e(_ text: String) -> String { HTMLText.escape(text) }
        func menu(_ side: String, selected: Int) -> String {
            let options = pictures.enumerated().map { index, picture in
                "<option value=\"\(e(picture.file))\"\(index == selected ? " selected" : "")>\(e(picture.label))</option>"
            }
            return "<label>\(side) <select class=\"\(side)\">\(options.joined())</select></label>"
        }
        let zooms = ["fit"] + [1, 2, 4, 8].map { "\($0)" }
        let zoomOptions = zooms.map { "<option value=\"\($0)\"\($0 == "fit" ? " selected" : "")>\($0 == "fit" ? "fit" : $0 + "×")</option>" }
        let linkList = links.isEmpty ? "" : ". Pictures: " + Self.linkList(links)
        let dataSize = size.map { " data-width=\"\($0.width)\" data-height=\"\($0.height)\"" } ?? ""
        return """
            <figure class="comparison" id="\(e(id))"\(dataSize)>
            <div class="controls">\(menu("left", selected: left)) \(menu("right", selected: right)) \
            <label>wipe <input class="wipe" type="range" min="0" max="1000" value="500" aria-label="wipe position"></label> \
            <label>zoom <select class="zoom">\(zoomOptions.joined())</select></label></div>
            <div class="viewport"><div class="stage">\
            <img class="under" src="\(e(pictures[right].file))" alt="\(e(caption)): \(e(pictures[right].label))">\
            <img class="over" src="\(e(pictures[left].file))" alt="\(e(caption)): \(e(pictures[left].label))">\
            <div class="divider"></div>\
            <span class="tag tag-left">\(e(pictures[left].label))</span><span class="tag tag-right">\(e(pictures[right].label))</span>\
            </div></div>
            <figcaption>\(e(caption))\(linkList)</figcaption>
            </figure>
            """
    }

    static let style = """
        .comparison .controls { margin-bottom: 0.4em; }
        .comparison .controls label { margin-right: 1em; }
        .comparison .wipe { width: 16em; vertical-align: middle; }
        .comparison .viewport { overflow: auto; max-height: 85vh; border: 1px solid #ccc; background: #777; }
        .comparison .stage { position: relative; width: 100%; cursor: ew-resize; touch-action: none; user-select: none; }
        .comparison .stage img { display: block; width: 100%; max-width: none; }
        .comparison .stage img.over { position: absolute; left: 0; top: 0; height: 100%; clip-path: inset(0 50% 0 0); }
        .comparison .divider { position: absolute; top: 0; bottom: 0; left: 50%; width: 0; border-left: 2px solid #ffeb3b; pointer-events: none; }
        .comparison .tag { position: absolute; top: 0.4em; padding: 0.1em 0.4em; background: rgba(0,0,0,0.65); color: #fff; font-size: 0.85em; pointer-events: none; }
        .comparison .tag-left { left: 0.4em; }
        .comparison .tag-right { right: 0.4em; }
        """

    /// "a · b · c", each picture linked by its label.
    static func linkList(_ pictures: [Picture]) -> String {
        pictures.map { "<a href=\"\(HTMLText.escape($0.file))\">\(HTMLText.escape($0.label))</a>" }.joined(separator: " · ")
    }

    /// Width and height from a PNG file's header; nil when it is not a PNG.
    static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 24), header.count == 24,
            header.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            header[12..<16].elementsEqual(Array("IHDR".utf8))
        else { return nil }
        let number = { (offset: Int) in header[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    /// Wires every viewer on the page; written so that the page works from file:// with no network.
    static let script = """
        document.querySelectorAll('figure.comparison').forEach(function (box) {
          var stage = box.querySelector('.stage'), over = box.querySelector('img.over'), under = box.querySelector('img.under');
          var left = box.querySelector('select.left'), right = box.querySelector('select.right');
          var wipe = box.querySelector('input.wipe'), zoom = box.querySelector('select.zoom');
          var divider = box.querySelector('.divider');
          function label(select) { return select.options[select.selectedIndex].text; }
          function place() {
            var percent = wipe.value / 10;
            over.style.clipPath = 'inset(0 ' + (100 - percent) + '% 0 0)';
            divider.style.left = percent + '%';
          }
          function show() {
            over.src = left.value; under.src = right.value;
            box.querySelector('.tag-left').textContent = label(left);
            box.querySelector('.tag-right').textContent = label(right);
            over.alt = label(left); under.alt = label(right);
          }
          function size() {
            var width = Number(box.dataset.width) || Math.max(over.naturalWidth, under.naturalWidth);
            stage.style.width = zoom.value === 'fit' || !width ? '100%' : (width * Number(zoom.value)) + 'px';
          }
          function drag(event) {
            if (event.type === 'pointermove' && !event.buttons) { return; }
            var bounds = stage.getBoundingClientRect();
            wipe.value = Math.round(1000 * Math.min(1, Math.max(0, (event.clientX - bounds.left) / bounds.width)));
            place();
          }
          wipe.addEventListener('input', place);
          left.addEventListener('change', show);
          right.addEventListener('change', show);
          zoom.addEventListener('change', size);
          under.addEventListener('load', size);
          stage.addEventListener('pointerdown', drag);
          stage.addEventListener('pointermove', drag);
          place();
        });
        """
}
