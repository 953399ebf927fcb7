import ArgumentParser
import Engine
import Foundation
import Lab
import Pipeline

/// What every restore benchmark takes: the film, its clean reference, a work folder, and how
/// to print; `run` measures the given settings and prints the report.
struct BenchmarkArguments: ParsableArguments {
    @Argument(help: "The degraded film.")
    var input = "samples/reel_old.mp4"

    @Argument(help: "Its clean reference, at the output size.")
    var reference = "samples/reel_clean.mp4"

    @Option(help: "Folder for the restored files and work folders (emptied first; default: out/bench-COMMAND).")
    var work: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run(_ settings: [RestoreBenchmark.Setting], command: String, restore: RestoreArguments) throws {
        BLASRuntime.setThreadCount(restore.threads)
        let report = try RestoreBenchmark.run(input: input, reference: reference, settings: settings, resources: restore.resources(),
                                              folder: work ?? "out/bench-" + command, events: TerminalEvents().handle)
        if json {
            try printJSON(report)
        } else {
            BenchmarkTable.print(report)
        }
    }
}
