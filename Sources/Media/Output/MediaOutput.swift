import CFFmpeg

/// A container being written: streams are added, then packets interleaved, then `finish`
/// moves the complete file into place. Dropped unfinished, it deletes its temporary file.
final class MediaOutput {
    let destination: OutputPath
    let context: UnsafeMutablePointer<AVFormatContext>
    private var headerWritten = false
    private var finished = false

    init(_ destination: OutputPath) throws {
        self.destination = destination
        let path = destination.path
        // The muxer follows the real name's extension, not the temporary name's.
        guard let format = av_guess_format(nil, path, nil) else {
            throw MediaError(path, "unknown output container: use a name ending in .mkv, .mp4 or .mov")
        }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&context, format, nil, destination.temporaryPath), path,
                  "cannot create the output")
        self.context = context!
        // Streams copied as they are (FLAC or Opus in MP4, say) are still flagged experimental by
        // FFmpeg 5.1 though players read them; refusing them would lose the sound.
        self.context.pointee.strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL
    }

    deinit {
        if headerWritten && !finished { av_write_trailer(context) }
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
        if !finished { destination.discard() }
    }

    var needsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }
    var containerName: String { String(cString: context.pointee.oformat.pointee.name) }


    /// Whether this container can hold a stream of `codec`.
    func canStore(_ codec: AVCodecID) -> Bool {
        avformat_query_codec(context.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) == 1
    }

    func addStream() -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else { fatalError("avformat_new_stream: out of memory") }
        return stream
    }

    /// A stream for what `encoder` produces, with its parameters, time base, rate and pixel shape.
    func addStream(encodedBy encoder: VideoEncoder) throws -> UnsafeMutablePointer<AVStream> {
        let stream = addStream()
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), destination.path, "cannot set up the video stream")
        stream.pointee.time_base = encoder.context.pointee.time_base
        stream.pointee.avg_frame_rate = encoder.context.pointee.framerate
        stream.pointee.sample_aspect_ratio = encoder.context.pointee.sample_aspect_ratio
        return stream
    }

    func writeHeader() throws {
        let path = destination.path
        try check(avio_open(&context.pointee.pb, destination.temporaryPath, AVIO_FLAG_WRITE), path, "cannot write")
        try check(avformat_write_header(context, nil), path, "cannot write the \(containerName) header")
        headerWritten = true
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[index]! }

    func write(_ packet: Packet) throws {
        try check(av_interleaved_write_frame(context, packet.pointer), destination.path, "cannot write")
    }

    /// Writes the trailer and gives the file its name; `beforePublishing` sees the complete file
    /// under its temporary name first (an error there discards it).
    func finish(beforePublishing: (String) throws -> Void = { _ in }) throws {
        try check(av_write_trailer(context), destination.path, "cannot finish the file")
        finished = true
        avio_closep(&context.pointee.pb)
        do {
            try beforePublishing(destination.temporaryPath)
            try destination.commit()
        } catch {
            destination.discard()
            throw error
        }
    }
}
