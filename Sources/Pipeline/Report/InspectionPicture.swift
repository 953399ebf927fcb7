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
