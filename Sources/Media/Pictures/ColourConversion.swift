import CFFmpeg

/// How YUV is turned into RGB and back: the matrix and whether the signal is full range.
struct YUVInterpretation: Equatable {
    /// An AVColorSpace value; swscale indexes its coefficient table with the same numbers.
    var matrix: AVColorSpace
    var fullRange: Bool

    /// The frame's tags; untagged video follows what players do: BT.709 from 720 lines up, BT.601 below.
    init(frame: UnsafeMutablePointer<AVFrame>) {
        self.init(tagged: frame.pointee.colorspace, range: frame.pointee.color_range,
                  format: AVPixelFormat(rawValue: frame.pointee.format), height: Int(frame.pointee.height))
    }

    init(tagged: AVColorSpace, range: AVColorRange, format: AVPixelFormat, height: Int) {
        var matrix = tagged
        if matrix == AVCOL_SPC_UNSPECIFIED || matrix == AVCOL_SPC_RESERVED || matrix == AVCOL_SPC_RGB {
            matrix = height >= 720 ? AVCOL_SPC_BT709 : AVCOL_SPC_SMPTE170M
        }
        let jpegFormats: [AVPixelFormat] = [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P]
        self.init(matrix: matrix, fullRange: range == AVCOL_RANGE_JPEG || jpegFormats.contains(format))
    }

    init(matrix: AVColorSpace, fullRange: Bool) {
        self.matrix = matrix
        self.fullRange = fullRange
    }
}

/// Converts decoded frames of any pixel format to `RGBImage` and back.
///
/// swscale converts between the video's format and integer planar RGB (8 or 16 bits);
/// the integer-to-float step is ours, so that float values are exactly k/255 (or k/65535)
/// and an unchanged image converts back to the very same integers.
final class ColourConverter {
    private struct Setup: Equatable {
        var source: AVPixelFormat
        var destination: AVPixelFormat
        var width: Int32
        var height: Int32
        var yuv: YUVInterpretation
    }

    private var context: OpaquePointer?
    private var setup: Setup?
    private var intermediate: Frame?

    deinit { sws_freeContext(context) }

    /// Integer planar RGB deep enough for `format` without loss.
    static func planarRGBFormat(for format: AVPixelFormat) -> AVPixelFormat {
        bitsPerComponent(format) > 8 ? AV_PIX_FMT_GBRP16LE : AV_PIX_FMT_GBRP
    }

    static func bitsPerComponent(_ format: AVPixelFormat) -> Int {
        guard let descriptor = av_pix_fmt_desc_get(format) else { return 8 }
        return Int(descriptor.pointee.comp.0.depth)
    }

    private func scaler(_ wanted: Setup) -> OpaquePointer {
        if let context, setup == wanted { return context }
        sws_freeContext(context)
        // Accurate rounding and full chroma interpolation: exact and repeatable, worth the time.
        let flags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP | SWS_BITEXACT
        guard let created = sws_getContext(wanted.width, wanted.height, wanted.source,
                                           wanted.width, wanted.height, wanted.destination,
                                           Int32(flags), nil, nil, nil) else {
            fatalError("sws_getContext refused \(wanted.source) -> \(wanted.destination)")
        }
        let coefficients = sws_getCoefficients(Int32(wanted.yuv.matrix.rawValue))
        let range: Int32 = wanted.yuv.fullRange ? 1 : 0
        sws_setColorspaceDetails(created, coefficients, range, coefficients, range, 0, 1 << 16, 1 << 16)
        context = created
        setup = wanted
        return created
    }

    private func intermediateFrame(format: AVPixelFormat, width: Int, height: Int) -> Frame {
        if let intermediate, intermediate.format == format, intermediate.width == width, intermediate.height == height {
            return intermediate
        }
        let frame = Frame(format: format, width: width, height: height)
        intermediate = frame
        return frame
    }

    /// Converts a decoded frame to float RGB.
    func rgbImage(from frame: Frame) -> RGBImage {
        let rgbFormat = Self.planarRGBFormat(for: frame.format)
        let rgb = intermediateFrame(format: rgbFormat, width: frame.width, height: frame.height)
        let scaler = scaler(Setup(source: frame.format, destination: rgbFormat, width: Int32(frame.width),
                                  height: Int32(frame.height), yuv: YUVInterpretation(frame: frame.pointer)))
        sws_scale_frame(scaler, rgb.pointer, frame.pointer)
        let width = frame.width, height = frame.height
        var pixels = [Float](repeating: 0, count: 3 * width * height)
        let sixteenBit = rgbFormat == AV_PIX_FMT_GBRP16LE
        pixels.withUnsafeMutableBufferPointer { pixels in
            // gbrp stores planes in G, B, R order.
            for (channel, plane) in [(0, 2), (1, 0), (2, 1)] {
                let (base, stride) = rgb.plane(plane)
                let out = pixels.baseAddress! + channel * width * height
                for y in 0..<height {
                    let row = out + y * width
                    if sixteenBit {
                        base.advanced(by: y * stride).withMemoryRebound(to: UInt16.self, capacity: width) { source in
                            for x in 0..<width { row[x] = Float(source[x]) * (1 / 65535) }
                        }
                    } else {
                        let source = base + y * stride
                        for x in 0..<width { row[x] = Float(source[x]) * (1 / 255) }
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Converts float RGB (clamped to [0, 1]) into `frame`, whose format and size are already set.
    func fill(_ frame: Frame, from image: RGBImage, yuv: YUVInterpretation) {
        precondition(frame.width == image.width && frame.height == image.height)
        let rgbFormat = Self.planarRGBFormat(for: frame.format)
        let rgb = intermediateFrame(format: rgbFormat, width: image.width, height: image.height)
        let sixteenBit = rgbFormat == AV_PIX_FMT_GBRP16LE
        image.pixels.withUnsafeBufferPointer { pixels in
            for (channel, plane) in [(0, 2), (1, 0), (2, 1)] {
                let (base, stride) = rgb.plane(plane)
                let input = pixels.baseAddress! + channel * image.planeSize
                for y in 0..<image.height {
                    let row = input + y * image.width
                    if sixteenBit {
                        base.advanced(by: y * stride).withMemoryRebound(to: UInt16.self, capacity: image.width) { target in
                            for x in 0..<image.width { target[x] = UInt16(unitClamped(row[x]) * 65535 + 0.5) }
                        }
                    } else {
                        let target = base + y * stride
                        for x in 0..<image.width { target[x] = UInt8(unitClamped(row[x]) * 255 + 0.5) }
                    }
                }
            }
        }
        let scaler = scaler(Setup(source: rgbFormat, destination: frame.format, width: Int32(image.width),
                                  height: Int32(image.height), yuv: yuv))
        sws_scale_frame(scaler, frame.pointer, rgb.pointer)
    }
}

/// Clamps to [0, 1]; NaN (a diverged network) becomes 0 rather than trapping.
@inline(__always)
func unitClamped(_ value: Float) -> Float {
    value > 0 ? min(value, 1) : 0
}
