import Engine

/// LWay's loss weight W: where the LR picture has high-frequency detail.
///
/// One level of the 2-D Haar transform of each RGB channel; at each 2x2 block the L2 norm of
/// the three detail bands (LH, HL, HH) over all three channels (colour edges count like
/// luminance ones; the paper does not say how it treats colour); divided by the picture's
/// largest value, so W lies in [0, 1] whatever the contrast; and brought back to LR size by
/// repeating each block's value over its 2x2 pixels. Odd sides are handled by repeating the
/// last row or column. Result: (n, 1, h, w).
public enum HighFrequencyWeightMap {
    public static func compute(_ lr: Tensor) -> Tensor {
        let shape = lr.shape
        let evenHeight = shape.height + shape.height % 2, evenWidth = shape.width + shape.width % 2
        let padded = Tensor(Shape(shape.batch, shape.channels, evenHeight, evenWidth))
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let source = lr.plane(n, c), target = padded.plane(n, c)
                for y in 0..<evenHeight {
                    let sourceRow = source + min(y, shape.height - 1) * shape.width
                    for x in 0..<evenWidth { target[y * evenWidth + x] = sourceRow[min(x, shape.width - 1)] }
                }
            }
        }
        let bands = Tensor(Shape(shape.batch, 4 * shape.channels, evenHeight / 2, evenWidth / 2))
        HaarWavelet().forward([padded], [bands])
        let map = Tensor(Shape(shape.batch, 1, shape.height, shape.width))
        let blockWidth = evenWidth / 2, blocks = bands.shape.planeSize
        var magnitude = [Float](repeating: 0, count: blocks)
        for n in 0..<shape.batch {
            magnitude.withUnsafeMutableBufferPointer { m in
                for i in 0..<blocks { m[i] = 0 }
                // Bands 1-3 (LH, HL, HH) of every channel: channels C..<4C.
                for channel in shape.channels..<(4 * shape.channels) {
                    let band = bands.plane(n, channel)
                    for i in 0..<blocks { m[i] += band[i] * band[i] }
                }
                var largest: Float = 0
                for i in 0..<blocks { m[i] = m[i].squareRoot(); largest = max(largest, m[i]) }
                let scale: Float = largest > 0 ? 1 / largest : 0
                let target = map.plane(n, 0)
                for y in 0..<shape.height {
                    for x in 0..<shape.width { target[y * shape.width + x] = m[(y / 2) * blockWidth + x / 2] * scale }
                }
            }
        }
        return map
    }
}
