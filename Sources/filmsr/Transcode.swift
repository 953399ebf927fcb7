import ArgumentParser
import Media
import Pipeline

extension VideoCodec: ExpressibleByArgument {}

/// Output encoding options shared by every command that writes video.
struct EncodingOptions: ParsableArguments {
    @Option(help: "Video codec: h264, ffv1 (lossless archival master), prores or mpeg2.")
    var codec: VideoCodec = .h264

    @Option(help: "H.264 constant rate factor (lower is better quality).")
    var crf: Double = 18

    // Not `--preset`: restore and submit take that for their named sets of options.
    @Option(name: .customLong("x264-preset"), help: "H.264 encoder (x264) preset, ultrafast ... veryslow.")
    var x264Preset = "medium"

    @Option(name: .customLong("pix-fmt"), help: "Output pixel format (default: follows the codec and the source).")
    var pixelFormat: String?

    @Option(name: .customLong("encoder-option"), parsing: .singleValue,
            help: ArgumentHelp("Encoder option passed to FFmpeg as is; repeatable.", valueName: "key=value"))
    var encoderOptions: [String] = []

    @Flag(name: .customLong("no-audio"), help: "Leave the audio streams out.")
    var noAudio = false

    @Flag(name: .customLong("no-subtitles"), help: "Leave the subtitle streams out.")
    var noSubtitles = false

    @OptionGroup var archival: ArchivalOptions

    func transcodeOptions() throws -> TranscodeOptions {
        var options: [String: String] = [:]
        for pair in encoderOptions {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw UsageError("--encoder-option '\(pair)' is not key=value")
            }
            options[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let encoder = EncoderSettings(codec: codec, crf: crf, preset: x264Preset, pixelFormat: pixelFormat, options: options)
        return TranscodeOptions(encoder: encoder, copyAudio: !noAudio, copySubtitles: !noSubtitles, filters: try archival.filters())
    }
}

struct Transcode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-encode a video without upscaling, keeping audio, subtitles, timing and metadata.")

    @Argument(help: "The video to read (never modified), or a folder of videos.")
    var input: String

    @Argument(help: "The file to write (.mkv, .mp4 or .mov); appears only when complete. For a folder, the folder to write (.mkv, same names).")
    var output: String

    @OptionGroup var encoding: EncodingOptions
    @OptionGroup var batch: BatchOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        if FilmBatch.isFolder(input) {
            let options = try encoding.transcodeOptions()
            try FilmBatch.runCommand(input: input, output: output, batch: batch, detailHeading: "frames", doneWord: "transcoded") { film, events in
                let summary = try TranscodeJob.run(input: film.input, output: film.output, options: options, events: events)
                if let filters = summary.filters { events(.message("filters: \(filters.reason)")) }
                return String(summary.frames)
            }
            return
        }
        let terminal = TerminalEvents()
        let summary = try TranscodeJob.run(input: input, output: output, options: encoding.transcodeOptions(), events: terminal.handle)
        if let filters = summary.filters { terminal.handle(.message("filters: \(filters.reason)")) }
        print("\(output): \(summary.frames) frames, \(summary.copiedStreams.count) streams copied"
              + (summary.droppedStreams.isEmpty ? "" : ", left out: " + summary.droppedStreams.joined(separator: ", ")))
    }
}
