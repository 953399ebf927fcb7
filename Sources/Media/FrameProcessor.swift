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
