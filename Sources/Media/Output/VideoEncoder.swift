import CFFmpeg

/// What the encoder needs to know of the video it encodes.
struct VideoEncoderInput {
    var width: Int
    var height: Int
    var sourceFormat: AVPixelFormat
    var timeBase: AVRational
    var frameRate: AVRational
    var sampleAspectRatio: AVRational
    var colorRange: AVColorRange
    var colorSpace: AVColorSpace
    var colorPrimaries: AVColorPrimaries
    var colorTransfer: AVColorTransferCharacteristic
    var fieldOrder: AVFieldOrder
}

/// Encodes float RGB pictures with one of `VideoCodec`'s encoders.
final class VideoEncoder {
    let path: String
    let context: UnsafeMutablePointer<AVCodecContext>
    let yuv: YUVInterpretation
    private let converter = ColourConverter()
    private let frame: Frame
    private var flushed = false

    init(settings: EncoderSettings, input: VideoEncoderInput, globalHeader: Bool, path: String) throws {
        self.path = path
        guard let codec = avcodec_find_encoder_by_name(settings.codec.encoderName) else {
            throw MediaError(path, "this FFmpeg build has no \(settings.codec.encoderName) encoder")
        }
        let format = try Self.pixelFormat(settings, codec: codec, source: input.sourceFormat, path: path)
        guard let context = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        self.context = context
        let isRGB = format == AV_PIX_FMT_BGR0 || format == AV_PIX_FMT_GBRP16LE
        yuv = YUVInterpretation(tagged: input.colorSpace, range: input.colorRange, format: input.sourceFormat,
                                height: input.height)
        context.pointee.width = Int32(input.width)
        context.pointee.height = Int32(input.height)
        context.pointee.pix_fmt = format
        context.pointee.time_base = input.timeBase
        context.pointee.framerate = input.frameRate
        context.pointee.sample_aspect_ratio = input.sampleAspectRatio
        context.pointee.color_primaries = input.colorPrimaries
        context.pointee.color_trc = input.colorTransfer
        context.pointee.colorspace = isRGB ? AVCOL_SPC_RGB : yuv.matrix
        context.pointee.color_range = isRGB || yuv.fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        context.pointee.field_order = input.fieldOrder
        context.pointee.thread_count = 0
        if globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }

        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        switch settings.codec {
        case .h264:
            av_dict_set(&options, "crf", String(settings.crf), 0)
            av_dict_set(&options, "preset", settings.preset, 0)
        case .ffv1:
            // Version 3 with slice CRCs: the archival profile (self-checking, multithreaded).
            av_dict_set(&options, "level", "3", 0)
            av_dict_set(&options, "slicecrc", "1", 0)
            av_dict_set(&options, "g", "1", 0)
        case .prores:
            av_dict_set(&options, "profile", "3", 0)
        case .mpeg2:
            break  // bit rate and GOP come through `options` (b, g, ...)
        }
        for (key, value) in settings.options { av_dict_set(&options, key, value, 0) }
        try check(avcodec_open2(context, codec, &options), path, "cannot open the \(settings.codec.encoderName) encoder")
        if let unused = av_dict_get(options, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw MediaError(path, "the \(settings.codec.encoderName) encoder has no option '\(String(cString: unused.pointee.key))'")
        }
        frame = Frame(format: format, width: input.width, height: input.height)
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = self.context
        avcodec_free_context(&context)
    }

    /// The requested format, or the best the encoder offers for the source: FFV1 keeps RGB so that
    /// the master is lossless with respect to FilmSR's own frames.
    private static func pixelFormat(_ settings: EncoderSettings, codec: UnsafePointer<AVCodec>,
                                    source: AVPixelFormat, path: String) throws -> AVPixelFormat {
        let deep = ColourConverter.bitsPerComponent(source) > 8
        if let name = settings.pixelFormat {
            let format = av_get_pix_fmt(name)
            guard format != AV_PIX_FMT_NONE else { throw MediaError(path, "unknown pixel format '\(name)'") }
            guard supportedFormats(codec).contains(format) else {
                throw MediaError(path, "the \(settings.codec.encoderName) encoder cannot write pixel format '\(name)'")
            }
            return format
        }
        switch settings.codec {
        case .ffv1: return deep ? AV_PIX_FMT_GBRP16LE : AV_PIX_FMT_BGR0
        case .prores: return AV_PIX_FMT_YUV422P10LE
        case .h264, .mpeg2:
            let supported = supportedFormats(codec)
            return supported.count <= 1 ? AV_PIX_FMT_YUV420P
                : supported.withUnsafeBufferPointer { avcodec_find_best_pix_fmt_of_list($0.baseAddress, source, 0, nil) }
        }
    }

    private static func supportedFormats(_ codec: UnsafePointer<AVCodec>) -> [AVPixelFormat] {
        var formats: [AVPixelFormat] = []
        guard var cursor = codec.pointee.pix_fmts else { return formats }
        while cursor.pointee != AV_PIX_FMT_NONE {
            formats.append(cursor.pointee)
            cursor += 1
        }
        formats.append(AV_PIX_FMT_NONE)  // avcodec_find_best_pix_fmt_of_list reads up to the terminator
        return formats
    }

    /// Encodes one picture shown at `pts` (encoder time base) for `duration` ticks.
    func encode(_ image: RGBImage, pts: Int64, duration: Int64, receive: (Packet) throws -> Void) throws {
        try check(av_frame_make_writable(frame.pointer), path, "out of memory")
        converter.fill(frame, from: image, yuv: yuv)
        frame.pointer.pointee.pts = pts
        frame.pointer.pointee.pkt_duration = duration
        try send(frame, receive: receive)
    }

    /// Drains the encoder at the end of the stream.
    func finish(receive: (Packet) throws -> Void) throws {
        guard !flushed else { return }
        flushed = true
        try send(nil, receive: receive)
    }

    private func send(_ frame: Frame?, receive: (Packet) throws -> Void) throws {
        try check(avcodec_send_frame(context, frame?.pointer), path, "video encoding failed")
        let packet = Packet()
        while true {
            let result = avcodec_receive_packet(context, packet.pointer)
            if result == averrorEAGAIN || result == averrorEOF { return }
            try check(result, path, "video encoding failed")
            try receive(packet)
            packet.unref()
        }
    }
}
