import ArgumentParser
import Engine
import Foundation
import Lab
import Pipeline

struct BenchGate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract:
            "Adapt every scene of clips with a clean reference, measure every checkpoint against the truth next to the acceptance gate's signals; print their correlation, thresholds chosen on the tuning clips, and the result clip by clip."
    )

    @Option(name: .customLong("clip"), help: "NAME:DEGRADED:REFERENCE, repeated for each clip.")
    var clips: [String] = []

    @Option(help: "Clips to choose the gate's thresholds on, separated by commas; the others are reported as held out.")
    var tuning = ""

    @Option(help: "Read the measurements of an earlier run (its study.json) instead of adapting again; repeat it to join several runs.")
    var replay: [String] = []

    @Option(help: "Folder for the work folders and study.json (emptied first; default: out/bench-gate).")
    var work = "out/bench-gate"

    @Option(help: "Most LPIPS harm the threshold search allows any tuning scene (issue 14's bound: 0.01; looser only to see the trade-off).")
    var tuningLpipsBound = GateStudy.harmBound.lpips

    @Flag(help: "Print the analysis as JSON.")
    var json = false

    @OptionGroup var restore: RestoreArguments

    func run() throws {
        BLASRuntime.setThreadCount(restore.threads)
        let options = try restore.restoreOptions(granularity: .scene)
        let study: GateStudy.Report
        if !replay.isEmpty {
            study = try GateStudy.Report(
                joining: replay.map { path in
                    guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("\(path): no such file") }
                    guard let report = try? JSONDecoder().decode(GateStudy.Report.self, from: data) else {
                        throw UsageError("\(path): not a study.json written by filmsr lab bench gate")
                    }
                    return report
                })
        } else {
            let parsed = try clips.map { argument -> GateStudy.Clip in
                let parts = argument.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { throw UsageError("--clip \(argument): give NAME:DEGRADED:REFERENCE") }
                return GateStudy.Clip(name: parts[0], input: parts[1], reference: parts[2])
            }
            guard !parsed.isEmpty else { throw UsageError("give at least one --clip NAME:DEGRADED:REFERENCE, or --replay FILE") }
            study = try GateStudy.run(
                clips: parsed, options: options, resources: restore.resources(), folder: work,
                events: TerminalEvents().handle)
            try JSONEncoder.sortedPretty.encode(study).write(
                to: URL(fileURLWithPath: (work as NSString).appendingPathComponent("study.json")), options: .atomic)
        }
        let tuningClips = Set(tuning.split(separator: ",").map(String.init))
        let unknown = tuningClips.subtracting(study.clips.map(\.name))
        guard unknown.isEmpty else { throw UsageError("--tuning names clips the study does not have: \(unknown.sorted().joined(separator: ", "))") }
        let heldOut = Set(study.clips.map(\.name)).subtracting(tuningClips)
        guard tuningLpipsBound >= 0 else { throw UsageError("--tuning-lpips-bound \(tuningLpipsBound): give a number of 0 or more") }
        let analysis = GateAnalysis(
            study: study, tuning: tuningClips, heldOut: heldOut, gate: options.acceptance,
            bound: (psnr: GateStudy.harmBound.psnr, lpips: tuningLpipsBound))
        if json {
            try printJSON(analysis)
        } else {
            analysis.print()
        }
    }
}

extension JSONEncoder {
    static var sortedPretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

/// The tables `lab bench gate` prints.
struct GateAnalysis: Encodable {
    var correlationsTuning: [GateStudy.Correlation]
    var correlationsHeldOut: [GateStudy.Correlation]
    /// The gate of the options given (the defaults unless --gate-* says otherwise).
    var gate: AcceptanceOptions
    /// Thresholds the grid search chooses on the tuning clips, and the LPIPS harm it allowed.
    var chosen: AcceptanceOptions
    var tuningLPIPSBound: Double
    var clips: [GateStudy.ClipSummary]
    var clipsWithChosen: [GateStudy.ClipSummary]

    init(
        study: GateStudy.Report, tuning: Set<String>, heldOut: Set<String>, gate: AcceptanceOptions,
        bound: (psnr: Double, lpips: Double)
    ) {
        let tuningUnits = study.units.filter { tuning.contains($0.clip) }, heldOutUnits = study.units.filter { heldOut.contains($0.clip) }
        correlationsTuning = GateStudy.correlations(tuningUnits)
        correlationsHeldOut = GateStudy.correlations(heldOutUnits)
        self.gate = gate
        chosen = GateStudy.chooseThresholds(tuningUnits, base: gate, bound: bound)
        tuningLPIPSBound = bound.lpips
        clips = GateStudy.summarise(study.units, gate: gate, heldOut: heldOut)
        clipsWithChosen = GateStudy.summarise(study.units, gate: chosen, heldOut: heldOut)
    }

    func print() {
        Swift.print("Spearman rank correlation of each signal with the true change (over every candidate checkpoint)")
        Swift.print("signal                  tuning: dPSNR  dLPIPS   held out: dPSNR  dLPIPS   candidates (tuning, held out)")
        for (tuning, heldOut) in zip(correlationsTuning, correlationsHeldOut) {
            Swift.print(
                tuning.signal.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %+.2f   %+.2f           %+.2f   %+.2f      %d, %d", tuning.psnr, tuning.lpips, heldOut.psnr, heldOut.lpips,
                        tuning.candidates, heldOut.candidates))
        }
        Swift.print("")
        Swift.print(Self.describe("gate given", gate))
        table(clips)
        Swift.print("")
        let title =
            tuningLPIPSBound == GateStudy.harmBound.lpips
            ? "gate chosen on the tuning clips"
            : String(format: "gate chosen on the tuning clips with LPIPS harm up to %g", tuningLPIPSBound)
        Swift.print(Self.describe(title, chosen))
        table(clipsWithChosen)
    }

    static func describe(_ title: String, _ gate: AcceptanceOptions) -> String {
        func limit(_ value: Double) -> String { value >= AcceptanceOptions.unlimited ? "none" : String(format: "%+.3f", value) }
        return "\(title): loss change <= \(limit(gate.maximumLossChange)), flat detail <= \(limit(gate.maximumFlatDetailChange)), "
            + "temporal <= \(limit(gate.maximumTemporalChange)), back-projection <= \(limit(gate.maximumBackProjectionChange)), "
            + "coherence <= \(limit(gate.maximumChangeCoherence)) past the first checkpoint at \(String(format: "%g", gate.coherentShare)), "
            + "shares \(gate.shares.map { String(format: "%g", $0) }.joined(separator: ",")), prefer \(gate.preference.rawValue)"
    }

    private func table(_ clips: [GateStudy.ClipSummary]) {
        Swift.print(
            "clip          units   unadapted: PSNR / SSIM / LPIPS / TE      stop rule alone (worst unit dB, worst unit LPIPS, adapted)     gate (the same)"
        )
        for clip in clips {
            func cell(_ column: GateStudy.ClipSummary.Column, worst: Bool) -> String {
                let quality = column.quality
                return String(format: "%6.2f / %.4f / %.4f / %5.2f", quality.psnr, quality.ssim, quality.lpips, quality.temporalError)
                    + (worst ? String(format: " (%+.2f, %+.3f, %d)", column.worstPSNRChange, column.worstLPIPSChange, column.adaptedUnits) : "")
            }
            Swift.print(
                (clip.clip + (clip.heldOut ? " *" : "")).padding(toLength: 14, withPad: " ", startingAt: 0)
                    + String(format: "%5d   ", clip.units) + cell(clip.unadapted, worst: false) + "   " + cell(clip.stopRule, worst: true)
                    + "   " + cell(clip.gated, worst: true))
        }
        for (name, members) in [("tuning", clips.filter { !$0.heldOut }), ("held out", clips.filter(\.heldOut))] where !members.isEmpty {
            func gain(_ column: (GateStudy.ClipSummary) -> GateStudy.ClipSummary.Column) -> (Double, Double) {
                let count = Double(members.count)
                return (
                    members.reduce(0) { $0 + column($1).quality.psnr - $1.unadapted.quality.psnr } / count,
                    members.reduce(0) { $0 + column($1).quality.lpips - $1.unadapted.quality.lpips } / count
                )
            }
            let stop = gain(\.stopRule), gated = gain(\.gated)
            Swift.print(
                String(
                    format: "mean over %@ clips against unadapted: stop rule %+.2f dB / LPIPS %+.4f; gate %+.2f dB / LPIPS %+.4f",
                    name, stop.0, stop.1, gated.0, gated.1))
        }
        Swift.print("(* held out: no threshold was chosen on it)")
    }
}
