import CFFmpeg
import Foundation

/// Writes pictures as PNG files (8 or 16 bits per component) with libavcodec's encoder.
public enum PNGWriter {
    /// Writes atomically; `inputs` are files the output must not replace.
    public static func write(_ image: RGBImage, to path: String, bitsPerComponent: Int = 8, protecting inputs: [String] = []) throws {
        let destination = try OutputPath(path, inputs: inputs)
        let format = bitsPerComponent > 8 ? AV_PIX_FMT_RGB48BE : AV_PIX_FMT_RGB24
        let packet = try SinglePictureEncoder.encode(image, codec: AV_CODEC_ID_PNG, format: format,
                                                     yuv: YUVInterpretation(matrix: AVCOL_SPC_BT709, fullRange: true), path: path)
        let bytes = Data(bytes: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
        guard FileManager.default.createFile(atPath: destination.temporaryPath, contents: bytes) else {
            throw MediaError(path, "cannot write")
        }
        try destination.commit()
    }
}
