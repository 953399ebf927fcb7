import CFFmpeg

/// What a transcode keeps besides the processed video.
public struct TranscodeOptions: Sendable {
    public var encoder: EncoderSettings
    public var copyAudio: Bool
    public var copySubtitles: Bool

    public init(encoder: EncoderSettings = EncoderSettings(), copyAudio: Bool = true, copySubtitles: Bool = true) {
        self.encoder = encoder
        self.copyAudio = copyAudio
        self.copySubtitles = copySubtitles
    }
}

public struct TranscodeProgress: Sendable {
    public var framesDone: Int
    /// From the container's declared count or its duration; nil when neither is known.
    public var framesExpected: Int?
    public var mediaTime: Double
}

public struct TranscodeSummary: Sendable {
    public var frames: Int
    public var copiedStreams: [Int]
    public var droppedStreams: [String]
}

/// Decode -> process -> encode, with audio and subtitle packets copied unchanged beside the
/// video. Frames are passed in memory, never extracted to disk; every video frame keeps its
/// presentation timestamp and duration, so variable-rate video and its sound stay in sync.
public enum Transcoder {
    public static func transcode(input inputPath: String, output outputPath: String,
                                 options: TranscodeOptions = TranscodeOptions(),
                                 processor: some FrameProcessor = UnchangedFrames(),
                                 progress: ((TranscodeProgress) -> Void)? = nil) throws -> TranscodeSummary {
        let destination = try OutputPath(outputPath, inputs: [inputPath])
        let input = try MediaInput(path: inputPath)
        let reader = try VideoFrameReader(input: input, readsOtherStreams: true)
        let output = try MediaOutput(destination)

        let size = processor.outputSize(width: reader.width, height: reader.height)
        let encoder = try VideoEncoder(settings: options.encoder, input: reader.encoderInput(width: size.width, height: size.height),
                                       globalHeader: output.needsGlobalHeader, path: outputPath)
        let videoOut = try output.addStream(encodedBy: encoder)
        copyStreamMetadata(from: reader.videoStream, to: videoOut)

        var summary = TranscodeSummary(frames: 0, copiedStreams: [], droppedStreams: [])
        var copies: [Int: UnsafeMutablePointer<AVStream>] = [:]
        for index in 0..<input.streamCount where index != reader.videoIndex {
            let stream = input.stream(index)
            let parameters = stream.pointee.codecpar.pointee
            let kind = MediaProbe.name(av_get_media_type_string(parameters.codec_type))
            let codec = String(cString: avcodec_get_name(parameters.codec_id))
            let wanted = (parameters.codec_type == AVMEDIA_TYPE_AUDIO && options.copyAudio)
                || (parameters.codec_type == AVMEDIA_TYPE_SUBTITLE && options.copySubtitles)
            guard wanted else {
                stream.pointee.discard = AVDISCARD_ALL
                summary.droppedStreams.append("#\(index) \(kind) \(codec)")
                continue
            }
            guard output.canStore(parameters.codec_id) else {
                throw MediaError(outputPath, "a \(output.containerName) file cannot hold the \(codec) \(kind) stream #\(index) of \(inputPath); write .mkv instead, or leave the stream out")
            }
            let copy = output.addStream()
            try check(avcodec_parameters_copy(copy.pointee.codecpar, stream.pointee.codecpar), outputPath, "cannot copy stream #\(index)")
            copy.pointee.codecpar.pointee.codec_tag = 0  // let the new container choose its own tag
            copy.pointee.time_base = stream.pointee.time_base
            copyStreamMetadata(from: stream, to: copy)
            copies[index] = copy
            summary.copiedStreams.append(index)
        }
        av_dict_copy(&output.context.pointee.metadata, input.context.pointee.metadata, 0)
        try output.writeHeader()

        reader.otherPackets = { packet in
            guard let copy = copies[packet.streamIndex] else { return }
            av_packet_rescale_ts(packet.pointer, input.stream(packet.streamIndex).pointee.time_base, copy.pointee.time_base)
            packet.pointer.pointee.stream_index = copy.pointee.index
            packet.pointer.pointee.pos = -1
            try output.write(packet)
        }

        let videoWriter = VideoPacketWriter(output: output, stream: videoOut, encoderTimeBase: encoder.context.pointee.time_base)
        let expected = expectedFrameCount(reader)
        while let frame = try reader.next() {
            let processed = try processor.process(frame)
            guard processed.width == size.width && processed.height == size.height else {
                throw MediaError(outputPath, "frame \(frame.index) came out \(processed.width)x\(processed.height), expected \(size.width)x\(size.height)")
            }
            videoWriter.expect(pts: frame.pts, duration: frame.duration)
            try encoder.encode(processed, pts: frame.pts, duration: frame.duration, receive: videoWriter.write)
            summary.frames += 1
            progress?(TranscodeProgress(framesDone: summary.frames, framesExpected: expected, mediaTime: frame.time))
        }
        guard summary.frames > 0 else { throw MediaError(inputPath, "video stream has no decodable frames") }
        try encoder.finish(receive: videoWriter.write)
        try output.finish()
        return summary
    }

    static func copyStreamMetadata(from source: UnsafeMutablePointer<AVStream>, to target: UnsafeMutablePointer<AVStream>) {
        av_dict_copy(&target.pointee.metadata, source.pointee.metadata, 0)
        target.pointee.disposition = source.pointee.disposition
    }

    static func expectedFrameCount(_ reader: VideoFrameReader) -> Int? {
        let stream = reader.videoStream.pointee
        if stream.nb_frames > 0 { return Int(stream.nb_frames) }
        let duration = reader.input.context.pointee.duration
        guard duration > 0 else { return nil }
        return Int((Double(duration) / Double(filmsr_av_time_base()) * reader.frameRate.value).rounded())
    }
}
