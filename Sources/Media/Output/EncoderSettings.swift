/// The video codecs FilmSR writes.
public enum VideoCodec: String, CaseIterable, Codable, Sendable {
    /// H.264 through libx264: small delivery files.
    case h264
    /// FFV1 version 3: the lossless archival master. Stored as RGB so that it decodes to
    /// exactly the RGB values FilmSR produced.
    case ffv1
    /// Apple ProRes through prores_ks (422 HQ by default): an editing intermediate.
    case prores
    /// MPEG-2 video (DVD, broadcast): the codec generation many archival transfers went through.
    case mpeg2

    var encoderName: String {
        switch self {
        case .h264: "libx264"
        case .ffv1: "ffv1"
        case .prores: "prores_ks"
        case .mpeg2: "mpeg2video"
        }
    }
}

/// How the video stream is encoded.
public struct EncoderSettings: Codable, Equatable, Sendable {
    public var codec: VideoCodec
    /// libx264's constant rate factor (0 lossless .. 51); ignored by other codecs.
    public var crf: Double
    /// libx264's speed/size preset; ignored by other codecs.
    public var preset: String
    /// An FFmpeg pixel format name; nil picks one from the codec and the source.
    public var pixelFormat: String?
    /// Encoder options passed to FFmpeg unchanged (as `-key value` on the ffmpeg command line).
    public var options: [String: String]

    public init(codec: VideoCodec = .h264, crf: Double = 18, preset: String = "medium",
                pixelFormat: String? = nil, options: [String: String] = [:]) {
        self.codec = codec
        self.crf = crf
        self.preset = preset
        self.pixelFormat = pixelFormat
        self.options = options
    }
}
