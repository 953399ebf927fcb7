import Media
import XCTest

@testable import Pipeline

final class LabelledPictureTests: XCTestCase {
    /// Inked pixels of a label: the count of "#" in its glyphs, each drawn as a scale x scale square.
    func ink(_ text: String, scale: Int) -> Int {
        text.map { BitmapFont.glyph($0).joined().filter { $0 == "#" }.count }.reduce(0, +) * scale * scale
    }

    func testALabelIsDrawnAboveThePictureWhichKeepsItsPixels() {
        let picture = RGBImage(width: 200, height: 30, pixels: (0..<(3 * 200 * 30)).map { Float($0 % 7) / 7 })
        let labelled = InspectionPicture.labelled(picture, "Unadapted SR")
        let strip = (BitmapFont.glyphHeight + 4) * 2
        XCTAssertEqual(labelled.height, 30 + strip)
        XCTAssertEqual(Array(labelled.pixels[(strip * 200)..<(labelled.planeSize)]), Array(picture.pixels[0..<picture.planeSize]))
        let black = (0..<(strip * 200)).filter { labelled.pixels[$0] == 0 && labelled.pixels[labelled.planeSize + $0] == 0 }.count
        XCTAssertEqual(black, ink("UNADAPTED SR", scale: 2), "every glyph's pixels, at twice the font's size")
        XCTAssertNotEqual(InspectionPicture.labelled(picture, "adapted SR").pixels, InspectionPicture.labelled(picture, "adapted LR").pixels)
    }

    func testALabelTooWideIsDrawnSmallerAndCut() {
        let picture = RGBImage(width: 40, height: 8)
        let labelled = InspectionPicture.labelled(picture, "frame 12: LR, nearest x4")
        XCTAssertEqual(labelled.height, 8 + BitmapFont.glyphHeight + 4, "font at its own size")
        let black = labelled.pixels[0..<((BitmapFont.glyphHeight + 4) * 40)].filter { $0 == 0 }.count
        XCTAssertEqual(black, ink("FRAME ", scale: 1), "as many whole characters as fit: (40 - 4) / 6")
    }

    /// A narrow side-by-side (a 64 x 48 film at x4) where one label fits at twice the font's size
    /// and another does not: all at one size, the pictures level.
    func testLabelsSideBySideShareOneSize() {
        let picture = RGBImage(width: 256, height: 192)
        let joined = InspectionPicture.labelledSideBySide([(picture, "frame 30: LR, nearest x4"), (picture, "unadapted SR")])
        XCTAssertEqual(InspectionPicture.labelScale([(picture, "unadapted SR")]), 2)
        XCTAssertEqual(joined.height, 192 + BitmapFont.glyphHeight + 4, "both at the font's own size")
        XCTAssertEqual(joined.width, 2 * 256 + 4)
    }

    func testEveryCharacterOfTheLabelsHasItsOwnGlyph() {
        for character in "FRAME 0123456789: LR, NEAREST X4 UNADAPTED RENDERED SR UNIT" {
            XCTAssertNotNil(BitmapFont.glyphs[character], "\(character)")
        }
        for (character, rows) in BitmapFont.glyphs {
            XCTAssertEqual(rows.count, BitmapFont.glyphHeight, "\(character)")
            XCTAssertTrue(rows.allSatisfy { $0.count == BitmapFont.glyphWidth }, "\(character)")
        }
        XCTAssertEqual(Set(BitmapFont.glyphs.values.map { $0.joined() }).count, BitmapFont.glyphs.count, "no two glyphs alike")
    }
}
