import CFFmpeg

/// Decodes one video stream of a `MediaInput` into frames in the stream's pixel format.
final class VideoDecoder {
    let path: String
    let streamIndex: Int
    let timeBase: AVRational
    let context: UnsafeMutablePointer<AVCodecContext>
    private var flushed = false
    /// Packets the decoder refused as invalid data (a damaged stretch of the file): each is a
    /// picture lost, and decoding goes on with the next one, as players do.
    private(set) var refusedPackets = 0
    /// The presentation times (stream time base) of the refused packets that had one.
    private(set) var refusedTimes: [Int64] = []

    init(input: MediaInput, streamIndex: Int) throws {
        path = input.path
        self.streamIndex = streamIndex
        let stream = input.stream(streamIndex)
        timeBase = stream.pointee.time_base
        let parameters = stream.pointee.codecpar!
        let codecID = parameters.pointee.codec_id
        guard let codec = avcodec_find_decoder(codecID) else {
            let name = String(cString: avcodec_get_name(codecID))
            throw MediaError(path, "unsupported video codec '\(name)': this FFmpeg build has no decoder for it")
        }
        guard let context = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        self.context = context
        try check(avcodec_parameters_to_context(context, parameters), path, "cannot set up the video decoder")
        context.pointee.pkt_timebase = timeBase
        // Frame threads keep output order and values identical to single-threaded decoding.
        context.pointee.thread_count = 0
        try check(avcodec_open2(context, codec, nil), path, "cannot open the \(String(cString: codec.pointee.name)) decoder")
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = self.context
        avcodec_free_context(&context)
    }

    /// Sends a packet (nil flushes at end of stream).
    func send(_ packet: Packet?) throws {
        if packet == nil {
            if flushed { return }
            flushed = true
        }
        let result = avcodec_send_packet(context, packet?.pointer)
        if result == averrorEAGAIN || result == averrorEOF { return }
        if result == averrorInvalidData, let packet {
            refusedPackets += 1
            if packet.pointer.pointee.pts != noPTS { refusedTimes.append(packet.pointer.pointee.pts) }
            return
        }
        if result < 0 {
            throw MediaError(path, "video stream is damaged: \(ffmpegErrorText(result))")
        }
    }

    /// Receives the next decoded frame into `frame`; false when the decoder needs more input.
    func receive(into frame: Frame) throws -> Bool {
        let result = avcodec_receive_frame(context, frame.pointer)
        if result == averrorEAGAIN || result == averrorEOF { return false }
        // Frame threads report a picture they could not decode here rather than when it was sent.
        if result == averrorInvalidData {
            refusedPackets += 1
            return try receive(into: frame)
        }
        if result < 0 {
            throw MediaError(path, "video stream is damaged: \(ffmpegErrorText(result))")
        }
        return true
    }
}
