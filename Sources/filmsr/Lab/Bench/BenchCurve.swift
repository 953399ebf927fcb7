import ArgumentParser
import Engine
import Foundation
import Lab
import Pipeline

struct BenchCurve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curve",
        abstract: "Adapt over a whole film with a clean reference for many iterations; print quality against iterations per variant, and what the stop rule would have kept.")

    @Option(help: "Variants to follow, separated by commas: \(AdaptationVariant.namesHelp).")
    var variants = "lway,lway+far,neighbour,neighbour+far"

    @Option(name: .customLong("evaluate-every"), help: "Iterations between two measurements against the reference.")
    var evaluateEvery = OverfittingCurve.Options().evaluateEvery

    @Option(name: .customLong("frame-step"), help: "Measure every Nth frame of the film.")
    var frameStep = OverfittingCurve.Options().frameStep

    @Flag(help: "Measure NIQE too (slow).")
    var niqe = false

    @OptionGroup var benchmark: BenchmarkArguments
    @OptionGroup var restore: RestoreArguments

    func run() throws {
        let base = try restore.restoreOptions(granularity: .clip, defaultIterations: RestoreArguments.defaultCurveIterations)
        let settings = try variants.split(separator: ",").map { name in
            guard let options = AdaptationVariant.options(named: String(name), base: base) else {
                throw UsageError("--variants: \(name) is not one of \(AdaptationVariant.namesHelp)")
            }
            return RestoreBenchmark.Setting(String(name), options)
        }
        guard evaluateEvery >= 1, frameStep >= 1 else { throw UsageError("--evaluate-every and --frame-step must be at least 1") }
        var options = OverfittingCurve.Options()
        options.evaluateEvery = evaluateEvery
        options.frameStep = frameStep
        options.niqe = niqe
        BLASRuntime.setThreadCount(restore.threads)
        let report = try OverfittingCurve.run(input: benchmark.input, reference: benchmark.reference, settings: settings,
                                              resources: restore.resources(), folder: benchmark.work ?? "out/bench-" + Self.configuration.commandName!,
                                              options: options, events: TerminalEvents().handle)
        if benchmark.json {
            try printJSON(report)
        } else {
            CurveTable.print(report)
        }
    }
}
