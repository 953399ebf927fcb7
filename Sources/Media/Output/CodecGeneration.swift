import CFFmpeg
import Foundation

/// Passes a sequence of pictures through a real lossy video codec and back: one "generation"
/// of the transfers an archival film went through (MPEG-2 for DVD and broadcast, H.264 for
/// files), with its motion-compensated artefacts across frames, not only within one.
public enum CodecGeneration {
    /// Encodes `frames` (one size) at `frameRate` with `settings`, decodes them again.
    public static func apply(_ frames: [RGBImage], settings: EncoderSettings, frameRate: Int = 24) throws -> [RGBImage] {
        guard let first = frames.first else { return [] }
        let file = NSTemporaryDirectory() + "filmsr-generation-\(UUID().uuidString).mkv"
        defer { unlink(file) }
        let destination = try OutputPath(file, inputs: [])
        let output = try MediaOutput(destination)
        let input = VideoEncoderInput(
            width: first.width, height: first.height, sourceFormat: AV_PIX_FMT_YUV420P,
            timeBase: AVRational(num: 1, den: Int32(frameRate)), frameRate: AVRational(num: Int32(frameRate), den: 1),
            sampleAspectRatio: AVRational(num: 1, den: 1), colorRange: AVCOL_RANGE_MPEG, colorSpace: AVCOL_SPC_SMPTE170M,
            colorPrimaries: AVCOL_PRI_UNSPECIFIED, colorTransfer: AVCOL_TRC_UNSPECIFIED, fieldOrder: AV_FIELD_PROGRESSIVE)
        let encoder = try VideoEncoder(settings: settings, input: input, globalHeader: output.needsGlobalHeader, path: file)
        let stream = try output.addStream(encodedBy: encoder)
        try output.writeHeader()
        let writer = VideoPacketWriter(output: output, stream: stream, encoderTimeBase: encoder.context.pointee.time_base)
        for (index, frame) in frames.enumerated() {
            guard frame.width == first.width && frame.height == first.height else {
                throw MediaError(file, "frame \(index) is \(frame.width)x\(frame.height), the first is \(first.width)x\(first.height)")
            }
            writer.expect(pts: Int64(index), duration: 1)
            try encoder.encode(frame, pts: Int64(index), duration: 1, receive: writer.write)
        }
        try encoder.finish(receive: writer.write)
        try output.finish()
        let reader = try VideoFrameReader(path: file)
        var decoded: [RGBImage] = []
        while let frame = try reader.next() { decoded.append(frame.image) }
        guard decoded.count == frames.count else {
            throw MediaError(file, "\(frames.count) frames went in, \(decoded.count) came back")
        }
        return decoded
    }
}
