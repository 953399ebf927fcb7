import ArgumentParser
import Engine
import Foundation
import Lab
import Pipeline

struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time the engine's hot paths on this machine (medians; JSON lines with --json).")

    @Flag(help: "Also time RRDBNet (x4plus) on a whole 720x480 frame (minutes).")
    var full = false

    @Option(help: "Runs per measurement (the median is reported).")
    var runs = 5

    @Flag(help: "Time the compact-x4 training step alone (the comparison with PyTorch, and a profiler's driver).")
    var trainingOnly = false

    @Flag(help: "Time the LWay fine-tuning step alone (restore's default networks; the comparison with PyTorch).")
    var lwayStepOnly = false

    @Flag(help: "Time compact-x4 inference alone (128x128 and 720x480; a profiler's driver).")
    var inferenceOnly = false

    @Option(parsing: .upToNextOption, help: "Thread counts to time.")
    var threads: [Int] = [1, 2]

    @Flag(help: "Print one JSON object per measurement.")
    var json = false

    @Option(help: "Folder holding the model files.")
    var models: String?

    func run() throws {
        let directory = models ?? ModelLocation.defaultDirectory
        let compact = try SRModelSpec.named("compact-x4").load(from: directory)
        let rrdb = try SRModelSpec.named("x4plus").load(from: directory)
        let encoder = JSONEncoder()
        func report(_ result: EngineBenchmark.Result) throws {
            if json {
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                let rate = result.gflops.map { String(format: "  %6.1f GFLOP/s", $0) } ?? ""
                let name = result.name.padding(toLength: max(64, result.name.count), withPad: " ", startingAt: 0)
                print(name + String(format: " %d thr %9.4f s", result.threads, result.seconds) + rate)
            }
            FileHandle.standardOutput.synchronizeFile()
        }
        // compact-x4 on a small frame and, in ncnn's 200-pixel tiles, a DVD frame.
        func reportCompactInference(threads: Int) throws {
            for (width, height) in [(128, 128), (720, 480)] {
                try report(EngineBenchmark.upscale(compact, width: width, height: height, tile: 200, overlap: 10, threads: threads, runs: runs))
            }
        }
        for threads in threads {
            if trainingOnly {
                try report(EngineBenchmark.trainingStep(compact, batch: 4, patch: 64, threads: threads, runs: runs))
                continue
            }
            if lwayStepOnly {
                try report(LWayStepBenchmark.run(resources: RestoreJob.Resources(), threads: threads, runs: runs))
                continue
            }
            if inferenceOnly {
                try reportCompactInference(threads: threads)
                continue
            }
            for result in EngineBenchmark.convolution(inputChannels: 64, outputChannels: 64, size: 128, threads: threads, runs: runs) {
                try report(result)
            }
            for result in EngineBenchmark.convolution(inputChannels: 192, outputChannels: 64, size: 64, threads: threads, runs: runs) {
                try report(result)
            }
            try reportCompactInference(threads: threads)
            try report(EngineBenchmark.upscale(rrdb, width: 128, height: 128, tile: 200, overlap: 10, threads: threads, runs: max(1, runs / 2)))
            if full {
                try report(EngineBenchmark.upscale(rrdb, width: 720, height: 480, tile: 200, overlap: 10, threads: threads, runs: 1))
            }
            try report(EngineBenchmark.trainingStep(compact, batch: 4, patch: 64, threads: threads, runs: runs))
            try report(LWayStepBenchmark.run(resources: RestoreJob.Resources(), threads: threads, runs: runs))
        }
    }
}
