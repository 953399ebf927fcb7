/// Upscales pictures of any size in tiles, so that memory is bounded by the tile size and not
/// the frame size. Each tile is run with `overlap` extra input pixels of context on every side
/// (clipped at the picture's border) and only its centre is kept: with enough context the
/// network sees what it would see untiled, so there is no seam to blend away.
public struct TiledUpscaler {
    public let model: SRModel
    /// Input pixels per tile side, context excluded.
    public var tileSize: Int
    /// Input pixels of context on each side of a tile.
    public var overlap: Int

    public init(model: SRModel, tileSize: Int = 192, overlap: Int = 16) {
        precondition(tileSize > 0 && overlap >= 0)
        self.model = model
        self.tileSize = tileSize
        self.overlap = overlap
    }

    /// `image`: 1 x 3 x H x W. Returns 1 x 3 x (H * scale) x (W * scale).
    public func upscale(_ image: Tensor, progress: ((Int, Int) -> Void)? = nil) throws -> Tensor {
        let shape = image.shape
        let output = Tensor(Shape(1, shape.channels, shape.height * model.scale, shape.width * model.scale))
        try upscale(image, into: output.data, progress: progress)
        return output
    }

    /// The same, written to `output` (channels x (H * scale) x (W * scale) floats, every one of
    /// them written): a caller that keeps the picture in memory of its own skips a copy.
    public func upscale(_ image: Tensor, into output: UnsafeMutablePointer<Float>, progress: ((Int, Int) -> Void)? = nil) throws {
        let (height, width, scale) = (image.shape.height, image.shape.width, model.scale)
        let channels = image.shape.channels
        let outputWidth = width * scale, outputPlane = height * scale * outputWidth
        let rows = stride(from: 0, to: height, by: tileSize).map { $0 }
        let columns = stride(from: 0, to: width, by: tileSize).map { $0 }
        var done = 0
        for top in rows {
            for left in columns {
                let bottom = min(top + tileSize, height), right = min(left + tileSize, width)
                // The tile with its context, clipped to the picture.
                let inTop = max(0, top - overlap), inLeft = max(0, left - overlap)
                let inBottom = min(height, bottom + overlap), inRight = min(width, right + overlap)
                let tile = Tensor(Shape(1, channels, inBottom - inTop, inRight - inLeft))
                for c in 0..<channels {
                    for y in inTop..<inBottom {
                        (tile.plane(0, c) + (y - inTop) * tile.shape.width)
                            .update(from: image.plane(0, c) + y * width + inLeft, count: inRight - inLeft)
                    }
                }
                let result = try model.upscale(tile)
                // Copy back the centre.
                let rowOffset = (top - inTop) * scale, columnOffset = (left - inLeft) * scale
                let keepWidth = (right - left) * scale
                for c in 0..<channels {
                    for y in 0..<((bottom - top) * scale) {
                        (output + c * outputPlane + (top * scale + y) * outputWidth + left * scale)
                            .update(from: result.plane(0, c) + (rowOffset + y) * result.shape.width + columnOffset, count: keepWidth)
                    }
                }
                model.graph.recycle([result])
                done += 1
                progress?(done, rows.count * columns.count)
            }
        }
    }
}
