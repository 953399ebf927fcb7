import Engine
import Media
import Pipeline

/// Draws the video codec generations an archival transfer went through: MPEG-2 (DVD, broadcast)
/// or H.264 (files, streaming), at low quality, through the real encoders.
///
/// A training patch is one still, encoded as a one-frame clip, so it is an intra picture and its
/// quality is what the encoder spends on a key frame. H.264 is driven by bit rate (libx264's ABR
/// sizes even the first frame to it), drawn in bits per pixel so that a patch is starved as a
/// whole frame would be: 0.15-1.5 bpp, 22-40 dB on 64x64 photo patches. libavcodec's MPEG-2 rate
/// control fixes the first picture's quantiser before it has any history (any bit rate gives
/// the same still), so MPEG-2 is driven by the quantiser a low rate ends at, 4-24 (24-41 dB; its default
/// starting quantiser is 2).
public struct CodecGenerationSampler: Sendable {
    public enum Generation: Equatable, Sendable, CustomStringConvertible {
        case mpeg2(quantiser: Int)
        case h264(bitsPerPixel: Double)

        /// The encoder settings for a picture of this size.
        public func encoderSettings(width: Int, height: Int) -> EncoderSettings {
            switch self {
            case .mpeg2(let quantiser):
                // The rate control may only choose this quantiser.
                return EncoderSettings(codec: .mpeg2, options: ["qmin": "\(quantiser)", "qmax": "\(quantiser)"])
            case .h264(let bitsPerPixel):
                let rate = max(1, Int((bitsPerPixel * Double(width * height * CodecGenerationSampler.frameRate)).rounded()))
                // crf -1 turns libx264's constant-quality mode off, so that the bit rate rules.
                return EncoderSettings(codec: .h264, crf: -1, preset: "veryfast", options: ["b": "\(rate)"])
            }
        }

        public var description: String {
            switch self {
            case .mpeg2(let quantiser): "mpeg2 q \(quantiser)"
            case .h264(let bitsPerPixel): "h264 " + String(format: "%.2f", bitsPerPixel) + " bpp"
            }
        }
    }

    static let frameRate = 24
    public var generations: ClosedRange<Int> = 1...2
    public var mpeg2Quantisers: ClosedRange<Int> = 4...24
    public var h264BitsPerPixel: ClosedRange<Double> = 0.15...1.5

    public init() {}

    /// One or two generations, each MPEG-2 or H.264 with equal probability.
    public func sample(using generator: inout SeededGenerator) -> [Generation] {
        (0..<Int.random(in: generations, using: &generator)).map { _ in
            Bool.random(using: &generator)
                ? .mpeg2(quantiser: Int.random(in: mpeg2Quantisers, using: &generator))
                : .h264(bitsPerPixel: Double.random(in: h264BitsPerPixel, using: &generator))
        }
    }
}
