import ArgumentParser
import Media

@main
struct FilmSR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filmsr",
        abstract: "Restore and upscale archival film with per-scene self-supervised super-resolution.",
        subcommands: [Restore.self, Submit.self, Status.self, Upscale.self, Transcode.self, Scenes.self, Probe.self, Frames.self,
                      Presets.self, LabCommand.self, Worker.self])

    static func main() {
        OpenBLASLaunch.ensureSettings()
        LibraryLogging.set(verbose: CommandLine.arguments.contains("--verbose"))
        do {
            var command = try parseAsRoot(Preset.expand(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            // Foundation's file errors (a full disk while saving weights, say) in one line naming the file, as all others.
            exit(withError: MediaError(fileError: error) ?? error)
        }
    }
}

/// Options every command that talks to FFmpeg shares.
struct DiagnosticOptions: ParsableArguments {
    @Flag(help: "Let FFmpeg print its own warnings.")
    var verbose = false
}
