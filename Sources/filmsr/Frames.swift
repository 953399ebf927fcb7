import ArgumentParser
import Media

extension FrameSelector: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct Frames: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write chosen frames of a video as PNG files, for inspection.")

    @Argument(help: "The video to read.")
    var file: String

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Frames to write: indices from 0 (120) or times (5.2s, 1:02.5).", valueName: "frame"))
    var at: [FrameSelector]

    @Option(help: "Directory for the PNG files (created if missing).")
    var out: String

    @Flag(name: .customLong("16-bit"), help: "Write 16 bits per component (for 10-bit and deeper sources).")
    var sixteenBit = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        for file in try FrameDumper.dump(file, frames: at, into: out, bitsPerComponent: sixteenBit ? 16 : 8).map(\.path) {
            print(file)
        }
    }
}
