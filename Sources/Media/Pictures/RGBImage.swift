/// A picture as planar 32-bit float RGB: three planes (R, G, B), each `height` rows of
/// `width` values, nominally in [0, 1]. This is the form every processing stage shares;
/// its layout is the CHW tensor layout, so no copy is needed to hand it to a network.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [Float]

    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(width > 0 && height > 0 && pixels.count == 3 * width * height,
                     "RGBImage: \(pixels.count) values do not make 3 planes of \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, pixels: [Float](repeating: 0, count: 3 * width * height))
    }

    public var planeSize: Int { width * height }

    /// Value of `channel` (0 R, 1 G, 2 B) at row `y`, column `x`.
    public subscript(channel: Int, y: Int, x: Int) -> Float {
        get { pixels[channel * planeSize + y * width + x] }
        set { pixels[channel * planeSize + y * width + x] = newValue }
    }
}
