/// A stage that turns each decoded picture into the picture to encode (an upscaler, a filter).
public protocol FrameProcessor {
    /// Size of the pictures `process` returns for inputs of the given size.
    func outputSize(width: Int, height: Int) -> (width: Int, height: Int)
    func process(_ frame: DecodedFrame) throws -> RGBImage
}

/// Passes pictures through unchanged: a plain transcode.
public struct UnchangedFrames: FrameProcessor {
    public init() {}
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) { (width, height) }
    public func process(_ frame: DecodedFrame) -> RGBImage { frame.image }
}

extension FrameProcessor {
    /// `process`, refusing a picture of another size than announced: the encoder was opened for that size.
    func process(_ frame: DecodedFrame, expecting size: (width: Int, height: Int), writing path: String) throws -> RGBImage {
        let processed = try process(frame)
        guard processed.width == size.width && processed.height == size.height else {
            throw MediaError(path, "frame \(frame.index) came out \(processed.width)x\(processed.height), expected \(size.width)x\(size.height)")
        }
        return processed
    }
}
