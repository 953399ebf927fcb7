import CFFmpeg
import Foundation

extension SegmentedRender {
    /// Writes the finished film (atomically): the segments' video packets in order, with the
    /// input's audio and subtitles as `options` says, interleaved by decoding time, and the
    /// input's metadata. The segments stay in the folder. `beforePublishing` sees the complete
    /// film under its temporary name, just before it takes the output's name.
    @discardableResult
    public func join(beforePublishing: (String) throws -> Void = { _ in }) throws -> TranscodeSummary {
        let destination = try OutputPath(output, inputs: [input])
        let media = try MediaInput(path: input)
        let reader = try VideoFrameReader(input: media, readsOtherStreams: true, filters: filters)
        var source = try VideoSegmentFile.Reader(path: try existingSegment(0))
        let file = try MediaOutput(destination)
        // The stream's parameters come from an encoder set up as the segments' were; the segments
        // join only if each carries the very same codec header.
        let encoder = try VideoEncoder(settings: options.encoder,
                                       input: reader.encoderInput(width: source.header.width, height: source.header.height),
                                       globalHeader: file.needsGlobalHeader, path: output)
        let header = VideoSegmentFile.Header(of: encoder)
        let videoOut = try file.addStream(encodedBy: encoder)
        let copies = try CopiedStreams(from: media, video: reader.videoIndex, into: file, videoOut: videoOut, options: options)
        media.stream(reader.videoIndex).pointee.discard = AVDISCARD_ALL
        try file.writeHeader()

        var summary = TranscodeSummary(frames: 0, copiedStreams: copies.copied, droppedStreams: copies.dropped)
        // Decoding times are made anew for the whole stream (DecodingTimestamps): each piece's
        // own rise only within it.
        let decodingTimes = DecodingTimestamps.assign(try segments.indices.flatMap {
            try VideoSegmentFile.Reader(path: try existingSegment($0)).remainingPresentationTimes()
        })
        var segment = 0, videoPackets = 0
        let video = Packet(), other = Packet()
        /// The next video packet, from the next segment when this one is done.
        func nextVideo() throws -> Bool {
            while true {
                guard source.header == header else {
                    throw MediaError(source.path, "was encoded with another encoder set-up than this film; delete \(folder) to render again")
                }
                if try source.next(into: video) {
                    guard videoPackets < decodingTimes.count else { throw MediaError(source.path, "render segment changed while being joined") }
                    video.pointer.pointee.dts = decodingTimes[videoPackets]
                    videoPackets += 1
                    return true
                }
                segment += 1
                guard segment < segments.count else { return false }
                source = try VideoSegmentFile.Reader(path: try existingSegment(segment))
            }
        }
        func nextOther() throws -> Bool {
            while try media.read(into: other) {
                if copies.isCopied(other) { return true }
                other.unref()
            }
            return false
        }
        var videoReady = try nextVideo(), otherReady = try nextOther()
        while videoReady || otherReady {
            let videoFirst = videoReady && (!otherReady || av_compare_ts(
                Self.decodingTime(video), header.timeBase,
                Self.decodingTime(other), media.stream(other.streamIndex).pointee.time_base) <= 0)
            guard videoFirst else {
                try copies.write(other, to: file)
                otherReady = try nextOther()
                continue
            }
            video.pointer.pointee.stream_index = videoOut.pointee.index
            av_packet_rescale_ts(video.pointer, header.timeBase, videoOut.pointee.time_base)
            try file.write(video)
            summary.frames += 1
            videoReady = try nextVideo()
        }
        try file.finish(beforePublishing: beforePublishing)
        return summary
    }

    private func existingSegment(_ index: Int) throws -> String {
        let path = segmentPath(index)
        guard FileManager.default.fileExists(atPath: path) else {
            throw MediaError(path, "render segment \(index + 1) of \(segments.count) is missing: render before joining")
        }
        return path
    }

    /// The decoding time, or the presentation time where the packet has none.
    private static func decodingTime(_ packet: Packet) -> Int64 {
        let raw = packet.pointer.pointee
        return raw.dts != noPTS ? raw.dts : raw.pts
    }
}
