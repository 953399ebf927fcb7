import CFFmpeg
import Foundation

/// Writes pictures as PNG files (8 or 16 bits per component) with libavcodec's encoder.
public enum PNGWriter {
    /// Writes atomically; `inputs` are files the output must not replace.
    public static func write(_ image: RGBImage, to path: String, bitsPerComponent: Int = 8, protecting inputs: [String] = []) throws {
        let destination = try OutputPath(path, inputs: inputs)
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG),
              let context = avcodec_alloc_context3(codec) else {
            throw MediaError(path, "this FFmpeg build has no PNG encoder")
        }
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        defer { avcodec_free_context(&owned) }
        let format = bitsPerComponent > 8 ? AV_PIX_FMT_RGB48BE : AV_PIX_FMT_RGB24
        context.pointee.width = Int32(image.width)
        context.pointee.height = Int32(image.height)
        context.pointee.pix_fmt = format
        context.pointee.time_base = AVRational(num: 1, den: 1)
        try check(avcodec_open2(context, codec, nil), path, "cannot open the PNG encoder")

        let frame = Frame(format: format, width: image.width, height: image.height)
        ColorConverter().fill(frame, from: image, yuv: YUVInterpretation(matrix: AVCOL_SPC_BT709, fullRange: true))
        frame.pointer.pointee.pts = 0
        try check(avcodec_send_frame(context, frame.pointer), path, "PNG encoding failed")
        try check(avcodec_send_frame(context, nil), path, "PNG encoding failed")
        let packet = Packet()
        try check(avcodec_receive_packet(context, packet.pointer), path, "PNG encoding failed")
        let bytes = Data(bytes: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
        guard FileManager.default.createFile(atPath: destination.temporaryPath, contents: bytes) else {
            throw MediaError(path, "cannot write")
        }
        try destination.commit()
    }
}
