import CFFmpeg

/// Writes encoded video packets with the durations of the frames they came from, so that the
/// output ends exactly where the input did, variable frame rate included.
final class VideoPacketWriter {
    private let output: MediaOutput
    private let stream: UnsafeMutablePointer<AVStream>
    private let encoderTimeBase: AVRational
    /// Frame durations by timestamp until their packet leaves the encoder (lookahead delays it).
    private var pendingDurations: [Int64: Int64] = [:]

    init(output: MediaOutput, stream: UnsafeMutablePointer<AVStream>, encoderTimeBase: AVRational) {
        self.output = output
        self.stream = stream
        self.encoderTimeBase = encoderTimeBase
    }

    func expect(pts: Int64, duration: Int64) {
        pendingDurations[pts] = duration
    }

    func write(_ packet: Packet) throws {
        let raw = packet.pointer
        let stored = pendingDurations.removeValue(forKey: raw.pointee.pts)
        if raw.pointee.duration <= 0, let stored { raw.pointee.duration = stored }
        raw.pointee.stream_index = stream.pointee.index
        av_packet_rescale_ts(raw, encoderTimeBase, stream.pointee.time_base)
        try output.write(packet)
    }
}
