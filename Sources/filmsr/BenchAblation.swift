import ArgumentParser
import Engine
import Foundation
import Pipeline

struct BenchAblation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ablation",
        abstract: "Restore a film with a clean reference with each adaptation variant; print quality (PSNR, SSIM, LPIPS, NIQE) and cost.")

    @Argument(help: "The degraded film.")
    var input = "samples/reel_old.mp4"

    @Argument(help: "Its clean reference, at the output size.")
    var reference = "samples/reel_clean.mp4"

    @Option(help: "Variants to compare, separated by commas: \(AdaptationVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variants = AdaptationVariant.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Adaptation granularity of every variant: scene, group or clip.")
    var granularity = "scene"

    @Option(help: "Folder for the restored files and work folders (emptied first).")
    var work = "out/bench-ablation"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var restore: RestoreArguments

    func run() throws {
        BLASRuntime.setThreadCount(restore.threads)
        let base = try restore.restoreOptions(granularity: try AdaptationGranularity(argument: granularity))
        let settings = try variants.split(separator: ",").map { name in
            guard let variant = AdaptationVariant(rawValue: String(name)) else {
                throw UsageError("--variants: \(name) is not one of \(AdaptationVariant.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var options = base
            variant.apply(to: &options)
            return RestoreBenchmark.Setting(variant.rawValue, options)
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
