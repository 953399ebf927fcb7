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
        let chosen = try granularities.split(separator: ",").map { try AdaptationGranularity(argument: String($0)) }
        let options = try restore.restoreOptions(granularity: .scene)
        let report = try RestoreBenchmark.run(input: input, reference: reference, options: options, granularities: chosen,
                                              resources: restore.resources(), folder: work) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        if json {
            try printJSON(report)
            return
        }
        print("\(input) against \(reference): PSNR (dB) / SSIM / LPIPS per scene")
        let header = "scene  frames" + report.variants.map { "  " + $0.name.padding(toLength: 22, withPad: " ", startingAt: 0) }.joined()
        print(header)
        func cells(_ summaries: [VideoComparison.Summary]) -> String {
            summaries.map { String(format: "  %6.2f / %.4f / %.4f", $0.psnr, $0.ssim, $0.lpips) }.joined()
        }
        for scene in report.scenes {
            print(String(format: "%5d  %6d", scene.index + 1, scene.frameCount) + cells(report.variants.map { $0.scenes[scene.index] }))
        }
        print(" mean        " + cells(report.variants.map(\.meanOverScenes)))
        let baseline = report.variants[0].meanOverScenes
        for variant in report.variants.dropFirst() {
            let mean = variant.meanOverScenes
            print(variant.name.padding(toLength: 6, withPad: " ", startingAt: 0)
                  + String(format: " vs baseline: %+.2f dB, SSIM %+.4f, LPIPS %+.4f; %d adaptation units, %.1f s adapting (%.1f s per scene), %.3f s per frame rendering (baseline %.3f)",
                           mean.psnr - baseline.psnr, mean.ssim - baseline.ssim, mean.lpips - baseline.lpips, variant.units,
                           variant.adaptationSeconds, variant.adaptationSeconds / Double(max(1, report.scenes.count)),
                           variant.renderSecondsPerFrame, report.variants[0].renderSecondsPerFrame))
        }
    }
}
