import Foundation
import Lab
import Pipeline

/// The plain-text table of `lab bench curve`: one row per measured iteration, one column per
/// variant, then what the stop rule would have done in each.
enum CurveTable {
    static func print(_ report: OverfittingCurve.Report) {
        let niqe = report.niqeMeasured
        Swift.print("\(report.input) against \(report.reference), one adaptation over the whole clip, \(report.evaluatedFrames.count) frames measured (frame step \(report.frameStep))")
        Swift.print("PSNR (dB) / SSIM / LPIPS" + (niqe ? " / NIQE" : "") + " [held-out loss], mean over \(report.scenes.count) scenes")
        let width = niqe ? 42 : 34
        func cell(_ quality: VideoComparison.Summary, _ validation: Double?) -> String {
            (String(format: "%6.2f / %.4f / %.4f", quality.psnr, quality.ssim, quality.lpips) + (niqe ? String(format: " / %5.2f", quality.niqe) : "")
             + (validation.map { String(format: " [%.5f]", $0) } ?? "")).padding(toLength: width, withPad: " ", startingAt: 0)
        }
        Swift.print("iteration" + report.curves.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
        let iterations = Set(report.curves.flatMap { $0.points.map(\.iteration) }).sorted()
        for iteration in iterations {
            Swift.print(String(iteration).leftPadded(9) + report.curves.map { curve in
                "  " + (curve.points.first { $0.iteration == iteration }.map { cell($0.quality, $0.validation) } ?? String(repeating: " ", count: width))
            }.joined())
        }
        for curve in report.curves {
            let best = curve.points.max { $0.quality.psnr < $1.quality.psnr }!
            var line = curve.name + String(format: ": best PSNR at iteration %d (%.2f dB); %.0f s adapting, %.0f s measuring", best.iteration,
                                           best.quality.psnr, curve.adaptationSeconds, curve.evaluationSeconds)
            if let rule = curve.stopRule {
                line += "; stop rule (patience \(rule.patience)) " + (rule.stoppedAt.map { "stops at \($0)" } ?? "does not stop")
                    + ", keeps iteration \(rule.keptIteration): " + cell(rule.quality, rule.keptValidation).trimmingCharacters(in: .whitespaces)
            }
            Swift.print(line)
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
