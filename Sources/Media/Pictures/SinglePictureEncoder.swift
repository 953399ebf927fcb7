import CFFmpeg

/// Encodes one picture with a still-image codec (PNG, MJPEG) and returns the coded packet.
enum SinglePictureEncoder {
    /// `configure` sets codec-specific fields on the context before it opens; `quality`, when
    /// given, is the frame's lambda (fixed-quantiser coding).
    static func encode(_ image: RGBImage, codec id: AVCodecID, format: AVPixelFormat, yuv: YUVInterpretation,
                       path: String, quality: Int32? = nil,
                       configure: (UnsafeMutablePointer<AVCodecContext>) -> Void = { _ in }) throws -> Packet {
        let name = String(cString: avcodec_get_name(id))
        guard let codec = avcodec_find_encoder(id), let context = avcodec_alloc_context3(codec) else {
            throw MediaError(path, "this FFmpeg build has no \(name) encoder")
        }
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        defer { avcodec_free_context(&owned) }
        context.pointee.width = Int32(image.width)
        context.pointee.height = Int32(image.height)
        context.pointee.pix_fmt = format
        context.pointee.time_base = AVRational(num: 1, den: 25)
        configure(context)
        try check(avcodec_open2(context, codec, nil), path, "cannot open the \(name) encoder")

        let frame = Frame(format: format, width: image.width, height: image.height)
        ColourConverter().fill(frame, from: image, yuv: yuv)
        frame.pointer.pointee.pts = 0
        if let quality { frame.pointer.pointee.quality = quality }
        try check(avcodec_send_frame(context, frame.pointer), path, "\(name) encoding failed")
        try check(avcodec_send_frame(context, nil), path, "\(name) encoding failed")
        let packet = Packet()
        try check(avcodec_receive_packet(context, packet.pointer), path, "\(name) encoding failed")
        return packet
    }
}
