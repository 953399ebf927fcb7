import ArgumentParser
import Engine
import Pipeline

struct Upscale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upscale an image or a video with a pretrained model, without adaptation (the baseline).",
        discussion: "Models: " + SRModelSpec.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))

    @Argument(help: "The image or video to read (never modified), or a folder of videos.")
    var input: String

    @Argument(help: "The file to write: .png for an image, .mkv/.mp4/.mov for a video; for a folder, the folder to write (.mkv, same names).")
    var output: String

    @Option(help: "compact-x2, compact-x3, compact-x4 or x4plus.")
    var model = "compact-x4"

    @Option(help: "Largest tile side in input pixels (tiles are cut evenly): bounds memory whatever the frame size.")
    var tile = 192

    @Option(help: "Context pixels around each tile (default: 16, or 32 for x4plus).")
    var overlap: Int?

    @Option(help: "Threads for the matrix products (default: one per core).")
    var threads = 0

    @Option(help: "Folder holding the model files (default: $FILMSR_MODELS or assets/models).")
    var models: String?

    @OptionGroup var encoding: EncodingOptions
    @OptionGroup var batch: BatchOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        BLASRuntime.setThreadCount(threads)
        var options = UpscaleJob.Options(model: model, tileSize: tile, overlap: overlap, transcode: try encoding.transcodeOptions())
        if let models { options.modelsDirectory = models }
        if FilmBatch.isFolder(input) {
            try FilmBatch.runCommand(input: input, output: output, batch: batch, doneWord: "upscaled") { film, events in
                if let filters = try UpscaleJob.run(input: film.input, output: film.output, options: options, events: events) {
                    events(.message("filters: \(filters.reason)"))
                }
                return ""
            }
            return
        }
        let terminal = TerminalEvents()
        if let filters = try UpscaleJob.run(input: input, output: output, options: options, events: terminal.handle) {
            terminal.handle(.message("filters: \(filters.reason)"))
        }
        print(output)
    }
}
