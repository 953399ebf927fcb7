import Media

/// Re-encodes a video, passing every frame through `processor`, with progress on a terminal.
public enum TranscodeJob {
    @discardableResult
    public static func run(input: String, output: String, options: TranscodeOptions,
                           processor: some FrameProcessor = UnchangedFrames(), stage: String = "transcode") throws -> TranscodeSummary {
        let reporter = ProgressReporter(stage: stage, total: nil)
        defer { reporter.finish() }
        return try Transcoder.transcode(input: input, output: output, options: options, processor: processor) { progress in
            reporter.update(done: progress.framesDone, total: progress.framesExpected,
                            detail: String(format: "t=%.2fs", progress.mediaTime))
        }
    }
}
