import CFFmpeg

/// The input's audio and subtitle streams, copied packet for packet into an output beside its
/// new video; the streams not wanted are dropped (and named, so that the user is told).
final class CopiedStreams {
    private let input: MediaInput
    private var copies: [Int: UnsafeMutablePointer<AVStream>] = [:]
    private(set) var copied: [Int] = []
    private(set) var dropped: [String] = []

    /// Adds the copies to `output` (before its header is written) and its file metadata;
    /// `video`: the input stream being replaced, whose metadata and disposition `videoOut` takes.
    init(from input: MediaInput, video: Int, into output: MediaOutput, videoOut: UnsafeMutablePointer<AVStream>,
         options: TranscodeOptions) throws {
        self.input = input
        let outputPath = output.destination.path
        Self.copyMetadata(from: input.stream(video), to: videoOut)
        for index in 0..<input.streamCount where index != video {
            let stream = input.stream(index)
            let parameters = stream.pointee.codecpar.pointee
            let kind = MediaProbe.name(av_get_media_type_string(parameters.codec_type))
            let codec = String(cString: avcodec_get_name(parameters.codec_id))
            let wanted = (parameters.codec_type == AVMEDIA_TYPE_AUDIO && options.copyAudio)
                || (parameters.codec_type == AVMEDIA_TYPE_SUBTITLE && options.copySubtitles)
            guard wanted else {
                stream.pointee.discard = AVDISCARD_ALL
                dropped.append("#\(index) \(kind) \(codec)")
                continue
            }
            guard output.canStore(parameters.codec_id) else {
                throw MediaError(outputPath, "a \(output.containerName) file cannot hold the \(codec) \(kind) stream #\(index) of \(input.path); write .mkv instead, or leave the stream out")
            }
            let copy = output.addStream()
            try check(avcodec_parameters_copy(copy.pointee.codecpar, stream.pointee.codecpar), outputPath, "cannot copy stream #\(index)")
            copy.pointee.codecpar.pointee.codec_tag = 0  // let the new container choose its own tag
            copy.pointee.time_base = stream.pointee.time_base
            Self.copyMetadata(from: stream, to: copy)
            copies[index] = copy
            copied.append(index)
        }
        av_dict_copy(&output.context.pointee.metadata, input.context.pointee.metadata, 0)
    }

    func isCopied(_ packet: Packet) -> Bool { copies[packet.streamIndex] != nil }

    /// Writes `packet` (read from the input) into its copy; packets of other streams are ignored.
    func write(_ packet: Packet, to output: MediaOutput) throws {
        guard let copy = copies[packet.streamIndex] else { return }
        av_packet_rescale_ts(packet.pointer, input.stream(packet.streamIndex).pointee.time_base, copy.pointee.time_base)
        packet.pointer.pointee.stream_index = copy.pointee.index
        packet.pointer.pointee.pos = -1
        try output.write(packet)
    }

    static func copyMetadata(from source: UnsafeMutablePointer<AVStream>, to target: UnsafeMutablePointer<AVStream>) {
        av_dict_copy(&target.pointee.metadata, source.pointee.metadata, 0)
        target.pointee.disposition = source.pointee.disposition
    }
}
