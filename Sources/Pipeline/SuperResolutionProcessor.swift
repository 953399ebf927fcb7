import Engine
import Media

/// Upscales every frame with one super-resolution model, tile by tile.
public final class SuperResolutionProcessor: FrameProcessor {
    public let upscaler: TiledUpscaler

    public init(upscaler: TiledUpscaler) {
        self.upscaler = upscaler
    }

    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        (width * upscaler.model.scale, height * upscaler.model.scale)
    }

    public func process(_ frame: DecodedFrame) throws -> RGBImage {
        try upscale(frame.image)
    }

    public func upscale(_ image: RGBImage) throws -> RGBImage {
        try upscaler.upscale(image)
    }
}
