import Media

/// Re-encodes a video, passing every frame through `processor`, emitting `stage` progress.
public enum TranscodeJob {
    @discardableResult
    public static func run(input: String, output: String, options: TranscodeOptions,
                           processor: some FrameProcessor = UnchangedFrames(), stage: String = "transcode",
                           events: JobEvents = { _ in }) throws -> TranscodeSummary {
        defer { events(.stageFinished(stage)) }
        let summary = try withoutActuallyEscaping(events) { events in
            try Transcoder.transcode(input: input, output: output, options: options, processor: processor) { progress in
                events(.progress(JobProgress(stage: stage, done: progress.framesDone, total: progress.framesExpected,
                                             detail: String(format: "t=%.2fs", progress.mediaTime))))
            }
        }
        if let damage = summary.damage { events(.message("\(input): \(damage.summary { _ in nil }); passed on as decoded: check those frames")) }
        return summary
    }
}
