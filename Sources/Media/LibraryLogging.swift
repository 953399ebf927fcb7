import CFFmpeg

/// How much FFmpeg itself prints to standard error. FilmSR reports problems in its own
/// one-line errors, so FFmpeg stays silent unless asked for diagnostics.
public enum LibraryLogging {
    public static func set(verbose: Bool) {
        av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET)
    }
}
