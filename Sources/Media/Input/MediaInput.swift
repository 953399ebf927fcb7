import CFFmpeg

/// An opened media file: demuxes packets and describes its streams.
final class MediaInput {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>

    init(path: String) throws {
        self.path = path
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let opened = avformat_open_input(&context, path, nil, nil)
        if opened < 0 {
            throw MediaError(path, MediaInput.openFailureText(opened))
        }
        self.context = context!
        let found = avformat_find_stream_info(context, nil)
        if found < 0 {
            avformat_close_input(&context)
            throw MediaError(path, "cannot read stream information: \(ffmpegErrorText(found))")
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = self.context
        avformat_close_input(&context)
    }

    private static func openFailureText(_ code: Int32) -> String {
        if code == filmsr_averror_invaliddata() {
            return "not a media file FFmpeg can read (\(ffmpegErrorText(code)))"
        }
        return "cannot open: \(ffmpegErrorText(code))"
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }

    /// The stream FFmpeg considers the main video, skipping cover art and thumbnails.
    func bestVideoStreamIndex() throws -> Int {
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        if index < 0 || stream(Int(index)).pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 {
            throw MediaError(path, "has no video stream")
        }
        return Int(index)
    }

    /// Reads the next packet into `packet`; false at the end of the file.
    func read(into packet: Packet) throws -> Bool {
        let result = av_read_frame(context, packet.pointer)
        if result == averrorEOF { return false }
        try check(result, path, "read failed")
        return true
    }

    /// Seconds in `timeBase`, or nil for FFmpeg's "no timestamp".
    static func seconds(_ timestamp: Int64, _ timeBase: AVRational) -> Double? {
        timestamp == noPTS ? nil : Double(timestamp) * av_q2d(timeBase)
    }
}
