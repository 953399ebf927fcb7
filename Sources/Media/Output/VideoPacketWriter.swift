import CFFmpeg

/// Gives encoded video packets the durations of the frames they came from, so that the output
/// ends exactly where the input did, variable frame rate included, then hands them on.
final class VideoPacketWriter {
    private let sink: (Packet) throws -> Void
    /// Frame durations by timestamp until their packet leaves the encoder (lookahead delays it).
    private var pendingDurations: [Int64: Int64] = [:]

    /// Packets go to `sink` in the encoder's time base.
    init(sink: @escaping (Packet) throws -> Void) {
        self.sink = sink
    }

    /// Packets go into `stream` of `output`, in the stream's time base.
    convenience init(output: MediaOutput, stream: UnsafeMutablePointer<AVStream>, encoderTimeBase: AVRational) {
        self.init { packet in
            packet.pointer.pointee.stream_index = stream.pointee.index
            av_packet_rescale_ts(packet.pointer, encoderTimeBase, stream.pointee.time_base)
            try output.write(packet)
        }
    }

    func expect(pts: Int64, duration: Int64) {
        pendingDurations[pts] = duration
    }

    func write(_ packet: Packet) throws {
        let raw = packet.pointer
        let stored = pendingDurations.removeValue(forKey: raw.pointee.pts)
        if raw.pointee.duration <= 0, let stored { raw.pointee.duration = stored }
        try sink(packet)
    }
}
