/// Per-frame gains of red, green and blue that a reader applies after the filters: how a
/// deflicker computed elsewhere (Pipeline's SceneDeflicker, which knows the cuts) reaches every
/// reader of a job alike. Values are clamped to the 0-1 range the encoders take.
public struct FrameGains: Codable, Sendable, Equatable {
    /// `gains[frame]`: red, green, blue.
    public var gains: [[Float]]

    public init(_ gains: [[Float]]) {
        self.gains = gains
    }

    /// Frame `index` with its gains applied (frames past the measured end are left as they are).
    public func apply(_ image: RGBImage, frame index: Int) -> RGBImage {
        guard index < gains.count, gains[index] != [1, 1, 1] else { return image }
        var result = image
        let plane = image.width * image.height
        for channel in 0..<3 {
            let gain = gains[index][channel]
            for i in (channel * plane)..<((channel + 1) * plane) { result.pixels[i] = min(1, max(0, image.pixels[i] * gain)) }
        }
        return result
    }
}
