import ArgumentParser
import Engine
import Foundation
import Media
import Pipeline

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a film: scenes, per-scene self-supervised adaptation (LWay), upscaling, re-encoding with sound.",
        discussion: """
            The work folder (default OUT.work) keeps the scene list, the sampled frames, the adapted \
            weights and loss curve of every scene; run the same command again after an interruption \
            and the job goes on where it stopped. OUT appears only when complete. WORK/report.html \
            shows the scenes, each adaptation's cost and loss curve, and the --dump pictures.
            """)

    @Argument(help: "The film to restore (never modified).")
    var input: String

    @Argument(help: "The restored film: .mkv, .mp4 or .mov.")
    var output: String

    @Option(help: "Adapt per scene, per group of scenes with similar degradations, or once for the clip: scene, group, clip.")
    var granularity = AdaptationGranularity.scene.rawValue

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Frames to inspect, by index (120) or time (5.2s, 1:02.5): LR, baseline SR, adapted SR, HF weight map and a side-by-side PNG of each go to WORK/dump/.",
                               valueName: "frame"))
    var dump: [FrameSelector] = []

    @Option(help: "Work folder (default: OUTPUT.work).")
    var work: String?

    @OptionGroup var restore: RestoreArguments
    @OptionGroup var encoding: EncodingOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        BLASRuntime.setThreadCount(restore.threads)
        let options = try restore.restoreOptions(granularity: try AdaptationGranularity(argument: granularity))
        var resources = restore.resources()
        resources.transcode = try encoding.transcodeOptions()
        resources.workFolder = work
        // Each line flushed as it comes: a job of hours is often followed in a log file.
        try RestoreJob.run(input: input, output: output, options: options, resources: resources, dump: dump) { print($0); fflush(nil) }
        print(output)
    }
}
