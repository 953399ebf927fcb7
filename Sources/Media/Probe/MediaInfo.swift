/// What a media file holds, as reported by `MediaProbe`.
public struct MediaInfo: Sendable, Codable {
    public var path: String
    public var containerName: String
    /// Seconds; nil when the container does not say.
    public var duration: Double?
    public var bitRate: Int?
    public var metadata: [String: String]
    public var video: VideoStreamInfo
    public var otherStreams: [StreamInfo]
    /// The video's fields as idet measures them, when asked for (`MediaProbe.probe(_:measuringFields:)`).
    public var fieldStructure: FieldStructure?
}

/// Facts about the video stream that FilmSR processes.
public struct VideoStreamInfo: Sendable, Codable {
    public var index: Int
    public var codecName: String
    public var width: Int
    public var height: Int
    public var pixelFormat: String
    public var bitsPerComponent: Int
    public var timeBase: Rational
    /// The container's average rate; for variable-rate video see the frame intervals.
    public var averageFrameRate: Rational
    /// Frames counted by reading the whole stream; containers' own counts are often missing or wrong.
    public var frameCount: Int
    /// What the container header claims, if anything (not trusted, kept for comparison).
    public var declaredFrameCount: Int?
    /// Presentation time of the first frame in seconds.
    public var startTime: Double
    /// From the first frame's start to the end of the last frame, in seconds.
    public var duration: Double
    public var isVariableFrameRate: Bool
    public var minFrameInterval: Double
    public var maxFrameInterval: Double
    public var sampleAspectRatio: Rational
    public var displayAspectRatio: Rational
    public var color: ColorDescription
    /// "progressive", "tt" (top field first), "bb", "tb", "bt" or "unknown".
    public var fieldOrder: String
    public var isInterlaced: Bool { fieldOrder != "progressive" && fieldOrder != "unknown" }
}

/// Colour metadata as FFmpeg names it ("bt709", "tv", ...); "unknown" when untagged.
public struct ColorDescription: Sendable, Codable, Equatable {
    public var range: String
    public var matrix: String
    public var primaries: String
    public var transfer: String
}

/// A stream other than the processed video: audio, subtitles, attachments, data.
public struct StreamInfo: Sendable, Codable {
    public var index: Int
    public var kind: String
    public var codecName: String
    public var duration: Double?
    public var language: String?
    public var sampleRate: Int?
    public var channels: Int?
}
