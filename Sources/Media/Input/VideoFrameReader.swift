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

/// Decodes a file's main video stream, in presentation order, into float RGB; with a
/// `FilterPlan`, through its FFmpeg filters first (deinterlacing, inverse telecine), in the
/// stream's own pixel format and bit depth.
public final class VideoFrameReader {
    public let path: String
    public let width: Int
    public let height: Int
    /// Of the frames' timestamps: the stream's, or the filters' when they change it.
    public let timeBase: Rational
    /// The stream's frame rate as FFmpeg best guesses it (for variable rate video, an average),
    /// or the filters' output rate.
    public let frameRate: Rational
    /// The filters the pictures go through; nil when none.
    public let filters: FilterPlan?

    let input: MediaInput
    let pictures: DecodedPictures
    /// Packets of the other streams are handed here when set, and discarded unread when not.
    var otherPackets: ((Packet) throws -> Void)? {
        get { pictures.otherPackets }
        set { pictures.otherPackets = newValue }
    }

    /// Frames (indices of those read so far) from a damaged stretch of the file: decoded with
    /// errors, or shown in place of pictures lost there. They are handed out as decoded.
    public private(set) var damagedFrames: [Int] = []
    /// Pictures lost so far: packets the decoder refused as invalid data.
    public var lostPictures: Int { pictures.decoder.refusedPackets }
    /// The damage met so far; nil while the file decodes cleanly.
    public var damage: DecodingDamage? {
        damagedFrames.isEmpty && lostPictures == 0 ? nil : DecodingDamage(frames: damagedFrames, lostPictures: lostPictures)
    }
    /// Damage seen since the filters last gave a picture.
    private var damageInGraph = false

    private let graph: FilterGraph?
    private let converter = ColourConverter()
    private let frame = Frame()
    private let decoded = Frame()
    private let defaultDuration: Int64
    /// The filters' timestamps, made usable as the decoder's are.
    private var filteredTimestamps: IncreasingTimestamps
    private var nextIndex = 0

    public convenience init(path: String, filters: FilterPlan? = nil) throws {
        try self.init(input: MediaInput(path: path), readsOtherStreams: false, filters: filters)
    }

    init(input: MediaInput, readsOtherStreams: Bool, filters: FilterPlan? = nil) throws {
        self.input = input
        path = input.path
        pictures = try DecodedPictures(input: input, readsOtherStreams: readsOtherStreams)
        let stream = pictures.stream.pointee
        let sourceWidth = Int(stream.codecpar.pointee.width), sourceHeight = Int(stream.codecpar.pointee.height)
        guard sourceWidth > 0 && sourceHeight > 0 else { throw MediaError(path, "video stream has no picture size") }
        self.filters = filters
        if let description = filters?.graph {
            let graph = try FilterGraph(description, input: FilterGraph.Input(
                width: sourceWidth, height: sourceHeight, format: AVPixelFormat(rawValue: stream.codecpar.pointee.format),
                timeBase: stream.time_base, frameRate: pictures.frameRate, sampleAspectRatio: Self.sampleAspectRatio(stream)),
                path: path)
            self.graph = graph
            width = graph.width
            height = graph.height
            timeBase = Rational(graph.timeBase)
            // A graph that cannot name its rate keeps the stream's (variable rate stays variable).
            let rate = graph.frameRate.num > 0 && graph.frameRate.den > 0 ? graph.frameRate : pictures.frameRate
            frameRate = Rational(rate)
            defaultDuration = max(1, av_rescale_q(1, av_inv_q(rate), graph.timeBase))
        } else {
            graph = nil
            width = sourceWidth
            height = sourceHeight
            timeBase = Rational(stream.time_base)
            frameRate = Rational(pictures.frameRate)
            defaultDuration = pictures.frameInterval
        }
        filteredTimestamps = IncreasingTimestamps(frameInterval: defaultDuration)
    }

    var videoIndex: Int { pictures.videoIndex }
    var videoStream: UnsafeMutablePointer<AVStream> { pictures.stream }

    /// The stream's sample aspect ratio (the container's, else the codec's), 1:1 when unknown.
    static func sampleAspectRatio(_ stream: AVStream) -> AVRational {
        var aspect = stream.sample_aspect_ratio.num > 0 ? stream.sample_aspect_ratio : stream.codecpar.pointee.sample_aspect_ratio
        if aspect.num <= 0 || aspect.den <= 0 { aspect = AVRational(num: 1, den: 1) }
        return aspect
    }

    /// The next picture, or nil at the end of the stream.
    ///
    /// A frame is handed out once its successor is decoded, so that its duration is the true gap
    /// to the next frame (containers often store none, and variable-rate video has no fixed one).
    public func next() throws -> DecodedFrame? {
        while let (pts, storedDuration, image, damaged) = try nextDecoded() {
            defer { held = (pts, storedDuration, image, damaged) }
            if let held { return emit(held.pts, duration: pts - held.pts, held.image, damaged: held.damaged) }
        }
        guard let last = held else { return nil }
        held = nil
        return emit(last.pts, duration: last.storedDuration > 0 ? last.storedDuration : lastInterval ?? defaultDuration, last.image,
                    damaged: last.damaged)
    }

    private var held: (pts: Int64, storedDuration: Int64, image: RGBImage, damaged: Bool)?
    private var lastInterval: Int64?

    private func emit(_ pts: Int64, duration: Int64, _ image: RGBImage, damaged: Bool) -> DecodedFrame {
        // A frame is also damaged when it is shown in place of pictures lost in its time.
        let streamTimeBase = pictures.stream.pointee.time_base
        let lost = pictures.decoder.refusedTimes.contains {
            let time = av_rescale_q($0, streamTimeBase, timeBase.av)
            return time >= pts && time < pts + max(duration, 1)
        }
        if damaged || lost { damagedFrames.append(nextIndex) }
        lastInterval = duration
        defer { nextIndex += 1 }
        return DecodedFrame(index: nextIndex, pts: pts, duration: duration, time: Double(pts) * timeBase.value,
                            seconds: Double(duration) * timeBase.value, image: filters?.gains?.apply(image, frame: nextIndex) ?? image)
    }

    /// The next picture with a usable timestamp and its stored duration, converted to RGB.
    private func nextDecoded() throws -> (Int64, Int64, RGBImage, Bool)? {
        guard let graph else {
            guard try pictures.next(into: frame) else { return nil }
            defer { frame.unref() }
            return (frame.pointer.pointee.pts, frame.pointer.pointee.pkt_duration, converter.rgbImage(from: frame), pictures.lastPictureDamaged)
        }
        while !(try graph.receive(into: frame)) {
            if graph.isDrained { return nil }
            if try pictures.next(into: decoded) {
                damageInGraph = damageInGraph || pictures.lastPictureDamaged
                try graph.send(decoded)
            } else {
                try graph.finish()
            }
        }
        defer { frame.unref() }
        // Filters copy the stored duration of the picture they started from, in the time base it
        // had, so it is not a filtered frame's duration: the last one lasts as long as the gap before it.
        // The next picture out of the filters carries the damage of those that went in since the last.
        defer { damageInGraph = false }
        return (filteredTimestamps.next(frame.pointer.pointee.pts), 0, converter.rgbImage(from: frame), damageInGraph)
    }

    /// What the encoder of a processed copy of this video needs to know, for pictures of the given size.
    func encoderInput(width: Int, height: Int) -> VideoEncoderInput {
        let stream = videoStream.pointee
        let parameters = stream.codecpar.pointee
        let sameSize = width == self.width && height == self.height
        return VideoEncoderInput(
            width: width, height: height,
            sourceFormat: graph?.format ?? AVPixelFormat(rawValue: parameters.format),
            timeBase: timeBase.av, frameRate: frameRate.av,
            sampleAspectRatio: graph?.sampleAspectRatio ?? Self.sampleAspectRatio(stream),
            colorRange: parameters.color_range, colorSpace: parameters.color_space,
            colorPrimaries: parameters.color_primaries, colorTransfer: parameters.color_trc,
            // Scaling mixes the two fields of interlaced pictures, so only same-size copies keep the
            // tag; a deinterlaced or inverse-telecined copy has no fields left.
            fieldOrder: sameSize && filters?.givesProgressive != true ? parameters.field_order : AV_FIELD_PROGRESSIVE)
    }
}
