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
            shows a timeline of the scenes, which weights rendered each and why, each adaptation's cost \
            and loss curve, and a before/after viewer of the --dump frames; a folder of films gets \
            OUTFOLDER/index.html over all their reports.
            """)

    @OptionGroup var job: RestoreJobArguments

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Frames to inspect, by index (120) or time (5.2s, 1:02.5): LR, baseline SR, adapted SR, HF weight map and a side-by-side PNG of each go to WORK/dump/.",
                               valueName: "frame"))
    var dump: [FrameSelector] = []

    @OptionGroup var batch: BatchOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        let (options, resources) = try job.job()
        if FilmBatch.isFolder(job.input) {
            // One work folder per film: beside its output, or under --work by the film's name.
            let workFolder = { (film: FilmBatch.Film) in resources.workFolder.map { $0 + "/" + film.name + ".work" } ?? film.output + ".work" }
            let index = { (reports: [FilmBatch.Report]) in
                let films = reports.map { CollectionIndex.Film(report: $0, workFolder: RestoreWorkFolder(workFolder($0.film))) }
                try CollectionIndex(title: "Restored: " + (job.input as NSString).lastPathComponent, films: films).write(into: job.output)
            }
            try FilmBatch.runCommand(input: job.input, output: job.output, batch: batch, detailHeading: "scenes", doneWord: "restored",
                                     index: index) { film, events in
                var filmResources = resources
                filmResources.workFolder = workFolder(film)
                let summary = try RestoreJob.run(input: film.input, output: film.output, options: options, resources: filmResources,
                                                 dump: dump, events: events)
                return String(summary.scenes.count)
            }
            return
        }
        try RestoreJob.run(input: job.input, output: job.output, options: options, resources: resources, dump: dump, events: TerminalEvents().handle)
        print(job.output)
    }
}

/// What `restore` and `submit` share: the film, the output, and everything that decides the result.
struct RestoreJobArguments: ParsableArguments {
    @Argument(help: "The film to restore (never modified), or a folder of films (restore only).")
    var input: String

    @Argument(help: "The restored film: .mkv, .mp4 or .mov; for a folder, the folder of restored films (.mkv, same names).")
    var output: String

    @Option(help: "Adapt per scene, per group of scenes with similar degradations, or once for the clip: scene, group, clip.")
    var granularity = AdaptationGranularity.scene.rawValue

    @Option(help: "Work folder (default: OUTPUT.work; for a folder of films, WORK/NAME.work per film).")
    var work: String?

    @OptionGroup var preset: PresetOption
    @OptionGroup var restore: RestoreArguments
    @OptionGroup var encoding: EncodingOptions

    /// The job's options and resources; sets the matrix threads of this process.
    func job() throws -> (RestoreOptions, RestoreJob.Resources) {
        BLASRuntime.setThreadCount(restore.threads)
        var options = try restore.restoreOptions(granularity: try AdaptationGranularity(argument: granularity))
        var resources = restore.resources()
        resources.transcode = try encoding.transcodeOptions()
        resources.workFolder = work
        // A restore knows the cuts: it deflickers scene by scene rather than with FFmpeg's filter across them.
        if let window = resources.transcode.filters?.deflickerFrames {
            options.deflickerWindow = window
            resources.transcode.filters?.deflickerFrames = nil
            if resources.transcode.filters == ArchivalFilters(deinterlace: .off) { resources.transcode.filters = nil }
        }
        return (options, resources)
    }
}
