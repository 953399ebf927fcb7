import CFFmpeg

/// The pictures of a file's main video stream as the decoder gives them (the stream's own pixel
/// format, not yet RGB), in presentation order, each with a usable timestamp in `pts`.
final class DecodedPictures {
    let input: MediaInput
    let videoIndex: Int
    let decoder: VideoDecoder
    /// The stream's frame rate as FFmpeg best guesses it (25 when it cannot).
    let frameRate: AVRational
    /// One frame interval in the stream's time base.
    let frameInterval: Int64
    /// Packets of the other streams are handed here when set, and discarded unread when not.
    var otherPackets: ((Packet) throws -> Void)?

    /// Whether the picture `next` gave last was decoded with errors (concealed, or from lost
    /// references): a damaged stretch of the file.
    private(set) var lastPictureDamaged = false

    private let packet = Packet()
    private var timestamps: IncreasingTimestamps
    private var draining = false

    init(input: MediaInput, readsOtherStreams: Bool) throws {
        self.input = input
        videoIndex = try input.bestVideoStreamIndex()
        if !readsOtherStreams {
            for index in 0..<input.streamCount where index != videoIndex {
                input.stream(index).pointee.discard = AVDISCARD_ALL
            }
        }
        decoder = try VideoDecoder(input: input, streamIndex: videoIndex)
        let stream = input.stream(videoIndex)
        var rate = av_guess_frame_rate(input.context, stream, nil)
        if rate.num <= 0 || rate.den <= 0 { rate = AVRational(num: 25, den: 1) }
        frameRate = rate
        frameInterval = max(1, av_rescale_q(1, av_inv_q(rate), stream.pointee.time_base))
        timestamps = IncreasingTimestamps(frameInterval: frameInterval)
    }

    var stream: UnsafeMutablePointer<AVStream> { input.stream(videoIndex) }

    /// Decodes the next picture into `frame` (which the caller unrefs); false at the end.
    func next(into frame: Frame) throws -> Bool {
        while true {
            if try decoder.receive(into: frame) {
                frame.pointer.pointee.pts = timestamps.next(frame.pointer.pointee.best_effort_timestamp)
                let picture = frame.pointer.pointee
                lastPictureDamaged = picture.decode_error_flags != 0 || picture.flags & AV_FRAME_FLAG_CORRUPT != 0
                return true
            }
            if draining { return false }
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
}
