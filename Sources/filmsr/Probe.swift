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

    @Flag(help: "Also measure the field structure of the first 240 frames with FFmpeg's idet (tags can lie).")
    var fields = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        let info = try MediaProbe.probe(file, measuringFields: fields)
        guard !json else { return print(try MediaReport.json(info)) }
        print(MediaReport.text(info))
        if let measured = info.fieldStructure {
            print("measured:   \(measured.verdict)")
            print("idet:       \(measured.summary)")
        }
    }
}
