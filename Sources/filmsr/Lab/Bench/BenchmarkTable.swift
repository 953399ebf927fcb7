import Foundation
import Lab
import Pipeline

/// The plain-text table of a restore benchmark: quality per scene and variant, then each
/// variant's gain over the baseline next to its cost.
enum BenchmarkTable {
    static func print(_ report: RestoreBenchmark.Report) {
        Swift.print("\(report.input) against \(report.reference): PSNR (dB) / SSIM / LPIPS / NIQE / temporal error per scene")
        Swift.print("scene  frames" + report.variants.map { "  " + $0.name.padding(toLength: 39, withPad: " ", startingAt: 0) }.joined())
        func cells(_ summaries: [VideoComparison.Summary]) -> String {
            summaries.map { String(format: "  %6.2f / %.4f / %.4f / %5.2f / %5.2f", $0.psnr, $0.ssim, $0.lpips, $0.niqe, $0.temporalError ?? .nan) }.joined()
        }
        for scene in report.scenes {
            Swift.print(String(format: "%5d  %6d", scene.index + 1, scene.frameCount) + cells(report.variants.map { $0.scenes[scene.index] }))
        }
        Swift.print(" mean        " + cells(report.variants.map(\.meanOverScenes)))
        let baseline = report.variants[0]
        let width = report.variants.map(\.name.count).max() ?? 8
        for variant in report.variants.dropFirst() {
            let mean = variant.meanOverScenes, base = baseline.meanOverScenes
            let worst = zip(variant.scenes, baseline.scenes).map { $0.psnr - $1.psnr }.min() ?? 0
            Swift.print(variant.name.padding(toLength: width, withPad: " ", startingAt: 0)
                        + String(format: " vs baseline: %+.2f dB (worst scene %+.2f dB), SSIM %+.4f, LPIPS %+.4f, NIQE %+.2f, temporal error %+.2f; %d adaptation units, %.1f s adapting (%.1f s per scene), %.3f s per frame rendering (baseline %.3f)",
                                 mean.psnr - base.psnr, worst, mean.ssim - base.ssim, mean.lpips - base.lpips, mean.niqe - base.niqe,
                                 (mean.temporalError ?? 0) - (base.temporalError ?? 0), variant.units,
                                 variant.adaptationSeconds, variant.adaptationSeconds / Double(max(1, report.scenes.count)),
                                 variant.renderSecondsPerFrame, baseline.renderSecondsPerFrame))
            for decision in variant.decisions { Swift.print("  " + decision) }
        }
    }
}
