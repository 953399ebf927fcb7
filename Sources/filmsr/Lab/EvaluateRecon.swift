import ArgumentParser
import Engine
import Foundation
import Lab
import Pipeline

struct EvaluateRecon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon",
        abstract: "Measure a trained reconstruction branch on held-out photographs, family by family.")

    @Argument(help: "The branch (a lab train recon result or checkpoint).")
    var checkpoint: String

    @Option(name: .customLong("samples"), help: "Held-out pairs per degradation family.")
    var samplesPerFamily = 16

    @Option(help: "LR patch side in pixels.")
    var patch = 48

    @Option(help: "Folder of photographs (default: $FILMSR_PHOTOS or assets/photos).")
    var photos: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        guard samplesPerFamily >= 2 else { throw UsageError("--samples must be at least 2") }
        guard patch >= 32 else { throw UsageError("--patch must be at least 32") }
        let branch = try ReconstructionBranch.load(from: checkpoint).branch
        let heldOut = try PhotoLibrary.load(split: .heldOut, directory: photos ?? PhotoLibrary.defaultDirectory)
        let report = try ReconstructionEvaluation.run(branch: branch, heldOut: heldOut, samplesPerFamily: samplesPerFamily, lrPatchSize: patch)
        if json {
            try printJSON(report)
            return
        }
        print("held-out PSNR against the true LR (dB); nearest-neighbour accuracy of E's embeddings and, with a family classifier, "
              + "its accuracy (chance \(String(format: "%.2f", report.chanceAccuracy)))")
        print("family        n   R(HR,E(LR))  bicubic   area   best bank op (fixed)          best fixed   gain   bank oracle   NN accuracy"
              + (report.overall.classifierAccuracy == nil ? "" : "   classifier"))
        for row in report.families + [report.overall] {
            print(row.family.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: " %3d   %8.2f   %7.2f  %7.2f   %7.2f ", row.samples, row.reconstructionPSNR, row.bicubicPSNR, row.areaPSNR,
                           row.bestFixedOperatorPSNR)
                  + ("(" + row.bestFixedOperator + ")").padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(format: "  %7.2f   %+6.2f   %8.2f      %6.2f", row.bestFixedPSNR, row.reconstructionPSNR - row.bestFixedPSNR,
                           row.bankOraclePSNR, row.nearestNeighbourAccuracy)
                  + (row.classifierAccuracy.map { String(format: "        %6.2f", $0) } ?? ""))
        }
        let names = report.families.map(\.family)
        print("nearest neighbour's family (rows: each pair's own family)")
        print("".padding(toLength: 12, withPad: " ", startingAt: 0) + names.map { " " + $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
        for (name, row) in zip(names, report.neighbourConfusion) {
            print(name.padding(toLength: 12, withPad: " ", startingAt: 0) + row.map { " " + String($0).padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
        }
        print("R fed a blurred HR (same embedding): " + report.blurredHR.map {
            String(format: "sigma %.0f: %.2f dB", $0.sigma, $0.reconstructionPSNR)
        }.joined(separator: ", "))
    }
}
