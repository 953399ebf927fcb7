import CFFmpeg

/// What a transcode keeps besides the processed video.
public struct TranscodeOptions: Codable, Equatable, Sendable {
    public var encoder: EncoderSettings
    public var copyAudio: Bool
    public var copySubtitles: Bool
    /// Deinterlacing, inverse telecine, deflickering before the processor; nil: none (the
    /// pictures go to the processor as decoded). Applied by `Transcoder`; `SegmentedRender`
    /// refuses them for now.
    public var filters: ArchivalFilters?

    public init(encoder: EncoderSettings = EncoderSettings(), copyAudio: Bool = true, copySubtitles: Bool = true,
                filters: ArchivalFilters? = nil) {
        self.encoder = encoder
        self.copyAudio = copyAudio
        self.copySubtitles = copySubtitles
        self.filters = filters
    }
}

public struct TranscodeProgress: Sendable {
    public var framesDone: Int
    /// Index in the input of the frame just done.
    public var frame: Int
    /// From the container's declared count or its duration; nil when neither is known.
    public var framesExpected: Int?
    public var mediaTime: Double
}

public struct TranscodeSummary: Sendable {
    public var frames: Int
    public var copiedStreams: [Int]
    public var droppedStreams: [String]
    /// The filters applied and why, when `TranscodeOptions.filters` was set.
    public var filters: FilterPlan?
    /// A damaged stretch of the input, passed on as decoded; nil when it decoded cleanly.
    public var damage: DecodingDamage?
}

/// Decode -> process -> encode, with audio and subtitle packets copied unchanged beside the
/// video. Frames are passed in memory, never extracted to disk; every video frame keeps its
/// presentation timestamp and duration, so variable-rate video and its sound stay in sync.
/// With archival filters, the video's timestamps are the filters' (inverse telecine makes
/// 29.97i into 23.976p) and the encoder takes their time base and rate; the sound's packets keep
/// theirs, so the two stay in sync.
public enum Transcoder {
    public static func transcode(input inputPath: String, output outputPath: String,
                                 options: TranscodeOptions = TranscodeOptions(),
                                 processor: some FrameProcessor = UnchangedFrames(),
                                 progress: ((TranscodeProgress) -> Void)? = nil) throws -> TranscodeSummary {
        let destination = try OutputPath(outputPath, inputs: [inputPath])
        let plan = try options.filters?.plan(forFile: inputPath)
        let input = try MediaInput(path: inputPath)
        let reader = try VideoFrameReader(input: input, readsOtherStreams: true, filters: plan)
        let output = try MediaOutput(destination)

        let size = processor.outputSize(width: reader.width, height: reader.height)
        let encoder = try VideoEncoder(settings: options.encoder, input: reader.encoderInput(width: size.width, height: size.height),
                                       globalHeader: output.needsGlobalHeader, path: outputPath)
        let videoOut = try output.addStream(encodedBy: encoder)
        let copies = try CopiedStreams(from: input, video: reader.videoIndex, into: output, videoOut: videoOut, options: options)
        var summary = TranscodeSummary(frames: 0, copiedStreams: copies.copied, droppedStreams: copies.dropped, filters: plan)
        try output.writeHeader()
        reader.otherPackets = { packet in try copies.write(packet, to: output) }

        let videoWriter = VideoPacketWriter(output: output, stream: videoOut, encoderTimeBase: encoder.context.pointee.time_base)
        let expected = expectedFrameCount(reader)
        // Frame n is processed while frame n + 1 is decoded and frame n - 1 encoded.
        let processing = FrameProcessingThread(processor, expecting: size)
        defer { processing.drain() }
        func encode(_ collected: (frame: DecodedFrame, picture: RGBImage)?) throws {
            guard let (frame, processed) = collected else { return }
            videoWriter.expect(pts: frame.pts, duration: frame.duration)
            try encoder.encode(processed, pts: frame.pts, duration: frame.duration, receive: videoWriter.write)
            summary.frames += 1
            progress?(TranscodeProgress(framesDone: summary.frames, frame: frame.index, framesExpected: expected, mediaTime: frame.time))
        }
        while let frame = try reader.next() {
            try encode(try processing.handOver(frame, writing: outputPath))
        }
        try encode(try processing.collect())
        guard summary.frames > 0 else { throw MediaError(inputPath, "video stream has no decodable frames") }
        summary.damage = reader.damage
        try encoder.finish(receive: videoWriter.write)
        try output.finish()
        return summary
    }

    static func expectedFrameCount(_ reader: VideoFrameReader) -> Int? {
        let stream = reader.videoStream.pointee
        // Filters that change the rate change the count alike.
        let rateChange = reader.frameRate.value / av_q2d(reader.pictures.frameRate)
        if stream.nb_frames > 0 { return Int((Double(stream.nb_frames) * rateChange).rounded()) }
        let duration = reader.input.context.pointee.duration
        guard duration > 0 else { return nil }
        return Int((Double(duration) / Double(filmsr_av_time_base()) * reader.frameRate.value).rounded())
    }
}
