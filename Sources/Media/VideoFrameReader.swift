import CFFmpeg

/// One decoded picture with its place in time.
public struct DecodedFrame: Sendable {
    /// Position in presentation order, from 0.
    public let index: Int
    /// Presentation timestamp in the stream's time base.
    public let pts: Int64
    /// How long it is shown, in the stream's time base.
    public let duration: Int64
    /// Presentation time in seconds.
    public let time: Double
    /// How long it is shown, in seconds.
    public let seconds: Double
    public let image: RGBImage
}

/// Decodes a file's main video stream, in presentation order, into float RGB.
public final class VideoFrameReader {
    public let path: String
    public let width: Int
    public let height: Int
    public let timeBase: Rational
    /// The stream's frame rate as FFmpeg best guesses it; for variable rate video, an average.
    public let frameRate: Rational

    let input: MediaInput
    let videoIndex: Int
    let decoder: VideoDecoder
    /// Packets of the other streams are handed here when set, and discarded unread when not.
    var otherPackets: ((Packet) throws -> Void)?

    private let converter = ColorConverter()
    private let packet = Packet()
    private let frame = Frame()
    private let defaultDuration: Int64
    private var nextIndex = 0
    private var lastPTS = Int64.min
    private var draining = false

    public convenience init(path: String) throws {
        try self.init(input: MediaInput(path: path), readsOtherStreams: false)
    }

    init(input: MediaInput, readsOtherStreams: Bool) throws {
        self.input = input
        path = input.path
        videoIndex = try input.bestVideoStreamIndex()
        if !readsOtherStreams {
            for index in 0..<input.streamCount where index != videoIndex {
                input.stream(index).pointee.discard = AVDISCARD_ALL
            }
        }
        decoder = try VideoDecoder(input: input, streamIndex: videoIndex)
        let stream = input.stream(videoIndex)
        width = Int(stream.pointee.codecpar.pointee.width)
        height = Int(stream.pointee.codecpar.pointee.height)
        guard width > 0 && height > 0 else { throw MediaError(path, "video stream has no picture size") }
        timeBase = Rational(stream.pointee.time_base)
        var rate = av_guess_frame_rate(input.context, stream, nil)
        if rate.num <= 0 || rate.den <= 0 { rate = AVRational(num: 25, den: 1) }
        frameRate = Rational(rate)
        defaultDuration = max(1, av_rescale_q(1, av_inv_q(rate), stream.pointee.time_base))
    }

    var videoStream: UnsafeMutablePointer<AVStream> { input.stream(videoIndex) }

    /// The next picture, or nil at the end of the stream.
    ///
    /// A frame is handed out once its successor is decoded, so that its duration is the true gap
    /// to the next frame (containers often store none, and variable-rate video has no fixed one).
    public func next() throws -> DecodedFrame? {
        while let (pts, storedDuration, image) = try nextDecoded() {
            defer { held = (pts, storedDuration, image) }
            if let held { return emit(held.pts, duration: pts - held.pts, held.image) }
        }
        guard let last = held else { return nil }
        held = nil
        return emit(last.pts, duration: last.storedDuration > 0 ? last.storedDuration : lastInterval ?? defaultDuration, last.image)
    }

    private var held: (pts: Int64, storedDuration: Int64, image: RGBImage)?
    private var lastInterval: Int64?

    private func emit(_ pts: Int64, duration: Int64, _ image: RGBImage) -> DecodedFrame {
        lastInterval = duration
        defer { nextIndex += 1 }
        return DecodedFrame(index: nextIndex, pts: pts, duration: duration, time: Double(pts) * timeBase.value,
                            seconds: Double(duration) * timeBase.value, image: image)
    }

    /// The next frame out of the decoder with a usable timestamp, converted to RGB.
    private func nextDecoded() throws -> (Int64, Int64, RGBImage)? {
        while true {
            if try decoder.receive(into: frame) {
                defer { frame.unref() }
                var pts = frame.pointer.pointee.best_effort_timestamp
                if pts == noPTS { pts = lastPTS == Int64.min ? 0 : lastPTS + defaultDuration }
                // Encoders need strictly increasing times; damaged streams sometimes repeat one.
                if pts <= lastPTS { pts = lastPTS + 1 }
                lastPTS = pts
                return (pts, frame.pointer.pointee.pkt_duration, converter.rgbImage(from: frame))
            }
            if draining { return nil }
            if try input.read(into: packet) {
                defer { packet.unref() }
                if packet.streamIndex == videoIndex {
                    try decoder.send(packet)
                } else if let otherPackets {
                    try otherPackets(packet)
                }
            } else {
                draining = true
                try decoder.send(nil)
            }
        }
    }

    /// What the encoder of a processed copy of this video needs to know, for pictures of the given size.
    func encoderInput(width: Int, height: Int) -> VideoEncoderInput {
        let stream = videoStream.pointee
        let parameters = stream.codecpar.pointee
        var aspect = stream.sample_aspect_ratio.num > 0 ? stream.sample_aspect_ratio : parameters.sample_aspect_ratio
        if aspect.num <= 0 || aspect.den <= 0 { aspect = AVRational(num: 1, den: 1) }
        let sameSize = width == self.width && height == self.height
        return VideoEncoderInput(
            width: width, height: height,
            sourceFormat: AVPixelFormat(rawValue: parameters.format),
            timeBase: stream.time_base, frameRate: frameRate.av, sampleAspectRatio: aspect,
            colorRange: parameters.color_range, colorSpace: parameters.color_space,
            colorPrimaries: parameters.color_primaries, colorTransfer: parameters.color_trc,
            // Scaling mixes the two fields of interlaced pictures, so only same-size copies keep the tag.
            fieldOrder: sameSize ? parameters.field_order : AV_FIELD_PROGRESSIVE)
    }
}
