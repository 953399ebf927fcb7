import ArgumentParser
import Media
import Pipeline

struct Scenes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the cuts in a video and print its scenes (first frame, frame count, start time).")

    @Argument(help: "The video to read.")
    var file: String

    @Option(help: "Content difference (0-255) at which a frame starts a new scene.")
    var threshold: Double = SceneDetectionOptions().threshold

    @Option(name: .customLong("min-scene-length"), help: "No scene shorter than this many frames (except the last).")
    var minSceneLength: Int = SceneDetectionOptions().minimumSceneLength

    @Flag(help: "Print JSON (with the options and every frame's difference score).")
    var json = false

    @Flag(help: "Print CSV.")
    var csv = false

    @Option(help: "Write the list to this file instead of printing it.")
    var output: String?

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        guard threshold > 0 else { throw UsageError("--threshold \(threshold): must be greater than 0") }
        guard minSceneLength >= 1 else { throw UsageError("--min-scene-length \(minSceneLength): must be at least 1 frame") }
        guard !(json && csv) else { throw UsageError("--json and --csv: choose one") }
        let format: SceneListFormat = json ? .json : csv ? .csv : .table
        // Checked before the film is read, not after.
        if let output { _ = try OutputPath(output, inputs: [file]) }
        let detector = SceneDetector(SceneDetectionOptions(threshold: threshold, minimumSceneLength: minSceneLength))
        let scenes = try detector.detect(path: file, events: TerminalEvents().handle)
        if let output {
            try scenes.write(to: output, as: format)
            print("\(scenes.scenes.count) scenes written to \(output)")
        } else {
            print(try scenes.formatted(as: format), terminator: "")
        }
    }
}
