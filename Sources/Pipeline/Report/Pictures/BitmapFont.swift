import Media

/// A 5 x 7 pixel font of capitals, digits and the punctuation labels need, drawn by FilmSR itself:
/// a label in a PNG should need no font library nor any font the machine may lack. Lower case is
/// drawn as capitals; a character without a glyph as a box, so that a missing one shows.
enum BitmapFont {
    static let glyphWidth = 5, glyphHeight = 7

    /// Rows top to bottom, "#" inked.
    static let glyphs: [Character: [String]] = {
        let table: [Character: String] = [
            "A": ".###. #...# #...# ##### #...# #...# #...#", "B": "####. #...# #...# ####. #...# #...# ####.",
            "C": ".###. #...# #.... #.... #.... #...# .###.", "D": "####. #...# #...# #...# #...# #...# ####.",
            "E": "##### #.... #.... ####. #.... #.... #####", "F": "##### #.... #.... ####. #.... #.... #....",
            "G": ".###. #...# #.... #.### #...# #...# .####", "H": "#...# #...# #...# ##### #...# #...# #...#",
            "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.", "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
            "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#", "L": "#.... #.... #.... #.... #.... #.... #####",
            "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#", "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
            "O": ".###. #...# #...# #...# #...# #...# .###.", "P": "####. #...# #...# ####. #.... #.... #....",
            "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#", "R": "####. #...# #...# ####. #.#.. #..#. #...#",
            "S": ".#### #.... #.... .###. ....# ....# ####.", "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
            "U": "#...# #...# #...# #...# #...# #...# .###.", "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
            "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.", "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
            "Y": "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..", "Z": "##### ....# ...#. ..#.. .#... #.... #####",
            "0": ".###. #...# #..## #.#.# ##..# #...# .###.", "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
            "2": ".###. #...# ....# ...#. ..#.. .#... #####", "3": "####. ....# ....# .###. ....# ....# ####.",
            "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.", "5": "##### #.... ####. ....# ....# #...# .###.",
            "6": "..##. .#... #.... ####. #...# #...# .###.", "7": "##### ....# ...#. ..#.. .#... .#... .#...",
            "8": ".###. #...# #...# .###. #...# #...# .###.", "9": ".###. #...# #...# .#### ....# ...#. .##..",
            " ": "..... ..... ..... ..... ..... ..... .....", ".": "..... ..... ..... ..... ..... .##.. .##..",
            ",": "..... ..... ..... ..... .##.. ..#.. .#...", ":": "..... .##.. .##.. ..... .##.. .##.. .....",
            "-": "..... ..... ..... .###. ..... ..... .....", "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
            "/": "....# ....# ...#. ..#.. .#... #.... #....", "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
            ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...", "%": "##..# ##..# ...#. ..#.. .#... #..## #..##",
            "=": "..... ..... ##### ..... ##### ..... .....", "'": "..#.. ..#.. .#... ..... ..... ..... .....",
            "?": ".###. #...# ....# ...#. ..#.. ..... ..#..", "#": "##### #...# #...# #...# #...# #...# #####"
        ]
        return table.mapValues { $0.split(separator: " ").map(String.init) }
    }()

    static func glyph(_ character: Character) -> [String] {
        glyphs[Character(character.uppercased())] ?? glyphs["#"]!
    }

    /// Pixels `text` takes at `scale`: a column of space between glyphs.
    static func width(of text: String, scale: Int) -> Int {
        max(0, text.count * (glyphWidth + 1) - 1) * scale
    }

    /// Draws `text` into `image` with its top left corner at (x, y), each font pixel a
    /// `scale` x `scale` square of `colour` (RGB in [0, 1]); what falls outside is left out.
    static func draw(_ text: String, into image: inout RGBImage, x: Int, y: Int, scale: Int, colour: (Float, Float, Float) = (0, 0, 0)) {
        let plane = image.planeSize
        for (position, character) in text.enumerated() {
            let left = x + position * (glyphWidth + 1) * scale
            for (row, bits) in glyph(character).enumerated() {
                for (column, bit) in bits.enumerated() where bit == "#" {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            let px = left + column * scale + dx, py = y + row * scale + dy
                            guard px >= 0, px < image.width, py >= 0, py < image.height else { continue }
                            let index = py * image.width + px
                            image.pixels[index] = colour.0
                            image.pixels[plane + index] = colour.1
                            image.pixels[2 * plane + index] = colour.2
                        }
                    }
                }
            }
        }
    }
}
