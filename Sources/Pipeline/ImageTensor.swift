import Engine
import Media

/// The shared picture layout (planar RGB, CHW) makes these plain copies.
extension Tensor {
    /// A 1 x 3 x H x W tensor holding `image`.
    public convenience init(_ image: RGBImage) {
        self.init(Shape(1, 3, image.height, image.width), values: image.pixels)
    }

    /// The first picture of the file at `path` (a PNG the work folder keeps, say), as 1 x 3 x H x W.
    public convenience init(pictureAt path: String) throws {
        guard let frame = try VideoFrameReader(path: path).next() else { throw MediaError(path, "has no picture") }
        self.init(frame.image)
    }
}

extension RGBImage {
    /// Batch item `index` of an N x 3 x H x W tensor (values are not clamped here; encoders clamp).
    public init(_ tensor: Tensor, item index: Int = 0) {
        let shape = tensor.shape
        precondition(shape.channels == 3, "an RGB picture needs 3 channels, not \(shape.channels)")
        let start = tensor.plane(index, 0)
        self.init(width: shape.width, height: shape.height,
                  pixels: Array(UnsafeBufferPointer(start: start, count: shape.itemSize)))
    }
}

extension TiledUpscaler {
    /// `image` upscaled, written straight into the new picture's memory (a 4x frame is tens of
    /// megabytes: no tensor of it is made and copied).
    public func upscale(_ image: RGBImage) throws -> RGBImage {
        let width = image.width * model.scale, height = image.height * model.scale
        let input = Tensor(image)
        let pixels = try [Float](unsafeUninitializedCapacity: 3 * width * height) { buffer, count in
            try upscale(input, into: buffer.baseAddress!)
            count = buffer.count
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
