import CFFmpeg

/// FFmpeg's text for an error code, e.g. "Invalid data found when processing input".
func ffmpegErrorText(_ code: Int32) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
        av_strerror(code, buffer.baseAddress!, buffer.count)
        return String(cString: buffer.baseAddress!)
    }
}

/// Throws a `MediaError` for `path` when an FFmpeg call returned a negative code.
@discardableResult
func check(_ code: Int32, _ path: String, _ doing: @autoclosure () -> String) throws -> Int32 {
    if code < 0 {
        throw MediaError(path, "\(doing()): \(ffmpegErrorText(code))")
    }
    return code
}

let averrorEAGAIN = filmsr_averror_eagain()
let averrorEOF = filmsr_averror_eof()
let averrorInvalidData = filmsr_averror_invaliddata()
let noPTS = filmsr_nopts_value()
