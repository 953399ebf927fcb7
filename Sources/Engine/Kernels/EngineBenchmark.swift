import COpenBLAS
import Foundation

/// Timings of the engine's hot paths on this machine, each the median of several runs, with
/// the ratios that matter: convolution against OpenBLAS's own sgemm at the same shape, and
/// (through scripts/bench-engine.sh) whole models against ncnn on the same weights.
public enum EngineBenchmark {
    public struct Result: Sendable, Codable {
        public var name: String
        public var threads: Int
        public var seconds: Double
        /// Useful work per second, where counted (GFLOP/s).
        public var gflops: Double?

        public init(name: String, threads: Int, seconds: Double, gflops: Double? = nil) {
            self.name = name
            self.threads = threads
            self.seconds = seconds
            self.gflops = gflops
        }
    }

    /// Median wall-clock seconds of `runs` calls after one warm-up call.
    public static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// A 3x3 convolution (stride 1, padding 1) and the bare sgemm it reduces to.
    public static func convolution(inputChannels: Int, outputChannels: Int, size: Int, threads: Int, runs: Int) -> [Result] {
        BLASRuntime.setThreadCount(threads)
        var generator = SeededGenerator(seed: 1)
        let conv = Convolution(inputChannels: inputChannels, outputChannels: outputChannels, geometry: ConvolutionGeometry(kernel: 3, padding: 1))
        conv.weight.value.fillUniform(-1...1, using: &generator)
        let input = Tensor(Shape(1, inputChannels, size, size)), output = Tensor(Shape(1, outputChannels, size, size))
        input.fillUniform(-1...1, using: &generator)
        let (m, k, n) = (outputChannels, inputChannels * 9, size * size)
        let flops = 2 * Double(m) * Double(k) * Double(n)
        conv.allowsWinograd = false
        let convSeconds = median(runs: runs) { conv.forward([input], [output]) }
        conv.allowsWinograd = true
        let winogradSeconds = median(runs: runs) { conv.forward([input], [output]) }
        let a = Tensor(Shape(1, 1, m, k)), b = Tensor(Shape(1, 1, k, n)), c = Tensor(Shape(1, 1, m, n))
        a.fillUniform(-1...1, using: &generator)
        b.fillUniform(-1...1, using: &generator)
        let gemmSeconds = median(runs: runs) {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a.data, Int32(k), b.data, Int32(n), 0, c.data, Int32(n))
        }
        let shape = "\(inputChannels)->\(outputChannels) 3x3 on \(size)x\(size) (M=\(m) K=\(k) N=\(n))"
        // Winograd's rate is counted in direct-convolution FLOPs: the work it replaces.
        return [
            Result(name: "conv \(shape)", threads: threads, seconds: convSeconds, gflops: flops / convSeconds / 1e9),
            Result(name: "winograd \(shape)", threads: threads, seconds: winogradSeconds, gflops: flops / winogradSeconds / 1e9),
            Result(name: "sgemm \(shape)", threads: threads, seconds: gemmSeconds, gflops: flops / gemmSeconds / 1e9)
        ]
    }

    /// Seconds to upscale one width x height RGB picture (tiled when larger than `tile`).
    public static func upscale(_ model: SRModel, width: Int, height: Int, tile: Int, overlap: Int, threads: Int, runs: Int) throws -> Result {
        BLASRuntime.setThreadCount(threads)
        var generator = SeededGenerator(seed: 2)
        let image = Tensor(Shape(1, 3, height, width))
        image.fillUniform(0...1, using: &generator)
        let upscaler = TiledUpscaler(model: model, tileSize: tile, overlap: overlap)
        let seconds = try median(runs: runs) { _ = try upscaler.upscale(image) }
        return Result(
            name: "\(model.name) \(width)x\(height)" + (max(width, height) > tile ? " tiled \(tile)" : ""),
            threads: threads, seconds: seconds, gflops: nil)
    }

    /// One fine-tuning step: forward, L1 loss, backward and Adam, on a batch of patches.
    public static func trainingStep(_ model: SRModel, batch: Int, patch: Int, threads: Int, runs: Int) throws -> Result {
        BLASRuntime.setThreadCount(threads)
        var generator = SeededGenerator(seed: 3)
        let input = Tensor(Shape(batch, 3, patch, patch))
        input.fillUniform(0...1, using: &generator)
        let target = Tensor(Shape(batch, 3, patch * model.scale, patch * model.scale))
        target.fillUniform(0...1, using: &generator)
        let optimiser = Adam(learningRate: 1e-5)
        let seconds = try median(runs: runs) {
            let output = try model.graph.forward([input], training: true)[0]
            let (_, gradient) = Loss.l1(output, target)
            model.graph.zeroGradients()
            model.graph.backward([gradient])
            optimiser.step(model.graph.parameters)
        }
        return Result(name: "\(model.name) training step, \(batch) x \(patch)x\(patch) patches", threads: threads, seconds: seconds, gflops: nil)
    }
}
