import CFFmpeg

/// Compresses a picture as JPEG and decodes it again, through libavcodec's own MJPEG codec:
/// the JPEG artefacts (blocking, ringing, 4:2:0 chroma) of the degradation model, made by a
/// real codec rather than imitated.
///
/// `quality` is on the libjpeg/IJG scale (1-100, as OpenCV and Real-ESRGAN use it). libavcodec
/// scales the standard tables by qscale / 8, and IJG scales them by S / 100 with
/// S = 5000 / quality below 50 and 200 - 2 * quality above, so qscale = S * 8 / 100, rounded to
/// libavcodec's whole steps (qscale 1 is about quality 94; higher qualities all map there).
public enum JPEGRoundTrip {
    public static func qscale(forQuality quality: Int) -> Int {
        let q = Double(min(100, max(1, quality)))
        let scale = q < 50 ? 5000 / q : 200 - 2 * q
        return max(1, min(31, Int((scale * 8 / 100).rounded())))
    }

    public static func apply(_ image: RGBImage, quality: Int) throws -> RGBImage {
        let what = "JPEG round trip"
        let steps = Int32(qscale(forQuality: quality)), lambda = steps * FF_QP2LAMBDA
        // JFIF is full-range BT.601.
        let packet = try SinglePictureEncoder.encode(
            image, codec: AV_CODEC_ID_MJPEG, format: AV_PIX_FMT_YUVJ420P,
            yuv: YUVInterpretation(matrix: AVCOL_SPC_BT470BG, fullRange: true), path: what, quality: lambda) { encoder in
            encoder.pointee.color_range = AVCOL_RANGE_JPEG
            encoder.pointee.flags |= AV_CODEC_FLAG_QSCALE
            encoder.pointee.qmin = steps
            encoder.pointee.qmax = steps
            encoder.pointee.global_quality = lambda
        }
        guard let decoderCodec = avcodec_find_decoder(AV_CODEC_ID_MJPEG), let decoder = avcodec_alloc_context3(decoderCodec) else {
            throw MediaError(what, "this FFmpeg build has no MJPEG decoder")
        }
        var ownedDecoder: UnsafeMutablePointer<AVCodecContext>? = decoder
        defer { avcodec_free_context(&ownedDecoder) }
        try check(avcodec_open2(decoder, decoderCodec, nil), what, "cannot open the MJPEG decoder")
        try check(avcodec_send_packet(decoder, packet.pointer), what, "JPEG decoding failed")
        try check(avcodec_send_packet(decoder, nil), what, "JPEG decoding failed")
        let decoded = Frame()
        try check(avcodec_receive_frame(decoder, decoded.pointer), what, "JPEG decoding failed")
        decoded.pointer.pointee.colorspace = AVCOL_SPC_BT470BG  // JFIF, whatever the size
        return ColourConverter().rgbImage(from: decoded)
    }
}
