import ArgumentParser
import Engine
import Foundation
import Pipeline

struct BenchRestore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-restore",
        abstract: "Restore a film with a clean reference unadapted and adapted (per scene, group, clip); print quality and cost per scene.")

    @Argument(help: "The degraded film.")
    var input = "samples/reel_old.mp4"

    @Argument(help: "Its clean reference, at the output size.")
    var reference = "samples/reel_clean.mp4"

    @Option(help: "Granularities to compare, separated by commas.")
    var granularities = "scene,group,clip"

    @Option(help: "Folder for the restored files and work folders (emptied first).")
    var work = "out/bench-restore"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var restore: RestoreArguments

    func run() throws {
        BLASRuntime.setThreadCount(restore.threads)
        let settings = try granularities.split(separator: ",").map { name in
            RestoreBenchmark.Setting(String(name), try restore.restoreOptions(granularity: try AdaptationGranularity(argument: String(name))))
        }
        let report = try RestoreBenchmark.run(input: input, reference: reference, settings: settings,
                                              resources: restore.resources(), folder: work) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        if json {
            try printJSON(report)
        } else {
            BenchmarkTable.print(report)
        }
    }
}
