import ArgumentParser
import Media
import Pipeline

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a video file's streams, frame rate, frame count, scan type and colour metadata.")

    @Argument(help: "The file to inspect.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        let info = try MediaProbe.probe(file)
        print(json ? try MediaReport.json(info) : MediaReport.text(info))
    }
}
