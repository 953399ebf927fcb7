import Engine
import Media

/// The pictures `--dump` composes for a restorer: everything at SR size, so that they line up
/// pixel for pixel when flicked between.
enum InspectionPicture {
    /// Each pixel repeated `factor` times both ways (no smoothing: the LR pixels stay visible).
    static func enlarged(_ image: RGBImage, by factor: Int) -> RGBImage {
        guard factor != 1 else { return image }
        return RGBImage(Resize.apply(.nearest, to: Tensor(image), height: image.height * factor, width: image.width * factor))
    }

    /// A 1 x 1 x H x W map in [0, 1] as a grey picture, enlarged by `factor`.
    static func grey(_ map: Tensor, enlargedBy factor: Int) -> RGBImage {
        let plane = Array(UnsafeBufferPointer(start: map.plane(0, 0), count: map.shape.planeSize))
        let grey = RGBImage(width: map.shape.width, height: map.shape.height, pixels: plane + plane + plane)
        return enlarged(grey, by: factor)
    }

    /// `picture` under a white strip that names it in black capitals, the font at `scale` times
    /// its size (by default twice where the label fits so, else once), cut to the picture's width.
    static func labelled(_ picture: RGBImage, _ label: String, scale: Int? = nil) -> RGBImage {
        let scale = scale ?? labelScale([(picture, label)])
        let fitting = String(label.prefix(max(0, (picture.width - 4 * scale) / ((BitmapFont.glyphWidth + 1) * scale))))
        let strip = (BitmapFont.glyphHeight + 4) * scale
        var result = RGBImage(width: picture.width, height: picture.height + strip,
                              pixels: [Float](repeating: 1, count: 3 * picture.width * (picture.height + strip)))
        for channel in 0..<3 {
            let source = channel * picture.planeSize, target = channel * result.planeSize + strip * picture.width
            result.pixels.replaceSubrange(target..<(target + picture.planeSize), with: picture.pixels[source..<(source + picture.planeSize)])
        }
        BitmapFont.draw(fitting, into: &result, x: 2 * scale, y: 2 * scale, scale: scale)
        return result
    }

    /// Twice the font's size when every label fits its picture so, else once.
    static func labelScale(_ pictures: [(RGBImage, String)]) -> Int {
        pictures.allSatisfy { BitmapFont.width(of: $0.1, scale: 2) + 8 <= $0.0.width } ? 2 : 1
    }

    /// Pictures of one height, each under its label, left to right; the labels share one size so
    /// that the pictures stay level.
    static func labelledSideBySide(_ pictures: [(RGBImage, String)]) -> RGBImage {
        let scale = labelScale(pictures)
        return sideBySide(pictures.map { labelled($0.0, $0.1, scale: scale) })
    }

    /// Pictures of one height placed left to right, `gap` white pixels apart.
    static func sideBySide(_ pictures: [RGBImage], gap: Int = 4) -> RGBImage {
        let height = pictures[0].height
        precondition(pictures.allSatisfy { $0.height == height }, "side-by-side pictures must share a height")
        let width = pictures.reduce(0) { $0 + $1.width } + gap * (pictures.count - 1)
        var result = RGBImage(width: width, height: height, pixels: [Float](repeating: 1, count: 3 * width * height))
        var left = 0
        for picture in pictures {
            for channel in 0..<3 {
                for y in 0..<height {
                    let source = channel * picture.planeSize + y * picture.width
                    let target = channel * result.planeSize + y * width + left
                    result.pixels.replaceSubrange(target..<(target + picture.width),
                                                  with: picture.pixels[source..<(source + picture.width)])
                }
            }
            left += picture.width + gap
        }
        return result
    }
}
