import Media

/// A frame shrunk by box averaging and converted to hue, saturation and value planes, each on a
/// 0-255 scale: what scene detection compares. Averaging f x f blocks removes most grain and
/// dust and makes every later step cost 1/f² of the full frame.
struct HSVThumbnail {
    let width: Int
    let height: Int
    /// Hue in [0, 255), circular (255 wraps to 0); 0 where the pixel is grey.
    var hue: [Float]
    var saturation: [Float]
    var value: [Float]

    /// The whole factor that brings `width` down to about `targetWidth` (never up).
    static func reduction(width: Int, targetWidth: Int) -> Int {
        max(1, width / max(1, targetWidth))
    }

    init(_ image: RGBImage, reduction factor: Int) {
        width = max(1, image.width / factor)
        height = max(1, image.height / factor)
        let count = width * height
        hue = [Float](repeating: 0, count: count)
        saturation = [Float](repeating: 0, count: count)
        value = [Float](repeating: 0, count: count)
        let blockWidth = min(factor, image.width), blockHeight = min(factor, image.height)
        let scale = 255 / Float(blockWidth * blockHeight)
        var sums = [Float](repeating: 0, count: 3 * width)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                // Sum the block's rows column by column first, then the columns of each block.
                sums.withUnsafeMutableBufferPointer { sums in
                    for index in sums.indices { sums[index] = 0 }
                    for channel in 0..<3 {
                        let plane = channel * image.planeSize
                        for row in (y * blockHeight)..<((y + 1) * blockHeight) {
                            let start = plane + row * image.width
                            for x in 0..<width {
                                var sum: Float = 0
                                for column in (x * blockWidth)..<((x + 1) * blockWidth) { sum += pixels[start + column] }
                                sums[channel * width + x] += sum
                            }
                        }
                    }
                }
                for x in 0..<width {
                    let (h, s, v) = Self.hsv(red: sums[x] * scale, green: sums[width + x] * scale, blue: sums[2 * width + x] * scale)
                    hue[y * width + x] = h
                    saturation[y * width + x] = s
                    value[y * width + x] = v
                }
            }
        }
    }

    /// Mean V: how bright the frame is, 0-255.
    var meanValue: Double {
        Double(value.reduce(0, +)) / Double(value.count)
    }

    /// HSV of an RGB pixel on 0-255 scales, as OpenCV computes it (hue spread over 0-255).
    static func hsv(red: Float, green: Float, blue: Float) -> (Float, Float, Float) {
        let maximum = max(red, green, blue), minimum = min(red, green, blue)
        let chroma = maximum - minimum
        guard maximum > 0, chroma > 0 else { return (0, 0, maximum) }
        var sector: Float
        if maximum == red {
            sector = (green - blue) / chroma
            if sector < 0 { sector += 6 }
        } else if maximum == green {
            sector = (blue - red) / chroma + 2
        } else {
            sector = (red - green) / chroma + 4
        }
        return (sector * (255 / 6), 255 * chroma / maximum, maximum)
    }
}
