import ArgumentParser
import Lab
import Pipeline

struct BenchAblation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablation",
        abstract: "Restore a film with a clean reference with each adaptation variant; print quality (PSNR, SSIM, LPIPS, NIQE) and cost.")

    @Option(help: "Variants to compare, separated by commas: \(AdaptationVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variants = AdaptationVariant.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Adaptation granularity of every variant: scene, group or clip.")
    var granularity = "scene"

    @OptionGroup var benchmark: BenchmarkArguments
    @OptionGroup var restore: RestoreArguments

    func run() throws {
        let base = try restore.restoreOptions(granularity: try AdaptationGranularity(argument: granularity))
        let settings = try variants.split(separator: ",").map { name in
            guard let variant = AdaptationVariant(rawValue: String(name)) else {
                throw UsageError("--variants: \(name) is not one of \(AdaptationVariant.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var options = base
            variant.apply(to: &options)
            return RestoreBenchmark.Setting(variant.rawValue, options)
        }
        try benchmark.run(settings, command: Self.configuration.commandName!, restore: restore)
    }
}
