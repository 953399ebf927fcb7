import ArgumentParser
import Lab
import Pipeline

struct BenchRestore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a film with a clean reference unadapted and adapted (per scene, group, clip); print quality and cost per scene.")

    @Option(help: "Granularities to compare, separated by commas.")
    var granularities = "scene,group,clip"

    @OptionGroup var benchmark: BenchmarkArguments
    @OptionGroup var restore: RestoreArguments

    func run() throws {
        let settings = try granularities.split(separator: ",").map { name in
            RestoreBenchmark.Setting(String(name), try restore.restoreOptions(granularity: try AdaptationGranularity(argument: String(name))))
        }
        try benchmark.run(settings, command: Self.configuration.commandName!, restore: restore)
    }
}
