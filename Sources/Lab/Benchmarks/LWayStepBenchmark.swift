import Engine
import Pipeline

/// The time of one LWay fine-tuning iteration with restore's default networks and options:
/// E(LR), S(LR), R(S(LR), e), the high-frequency weight map, weighted L1 and LPIPS, the backward
/// through LPIPS and the frozen R into S, and Adam on S. The iteration every unit of every film
/// repeats; scripts/reference/pytorch_lway_step.py times PyTorch's equivalent.
public enum LWayStepBenchmark {
    public static func run(resources: RestoreJob.Resources, threads: Int, runs: Int) throws -> EngineBenchmark.Result {
        BLASRuntime.setThreadCount(threads)
        let options = RestoreOptions()
        let networks = try AdaptationNetworks(options: options, resources: resources)
        let adapter = try LWayAdapter(
            model: networks.model, branch: networks.branch, lpips: networks.lpips,
            options: options.adaptation, regulariser: networks.regulariser)
        let batch = options.adaptation.batchSize, patch = options.adaptation.lrPatchSize
        var generator = SeededGenerator(seed: 4)
        let input = Tensor(Shape(batch, 3, patch, patch)), target = Tensor(Shape(batch, 3, patch, patch))
        input.fillUniform(0...1, using: &generator)
        target.fillUniform(0...1, using: &generator)
        // The first steps of a process fault in the pages of every buffer: not what a unit's 100
        // iterations cost.
        for _ in 0..<2 { _ = try adapter.step(input, target: target) }
        let seconds = try EngineBenchmark.median(runs: runs) { _ = try adapter.step(input, target: target) }
        return EngineBenchmark.Result(
            name: "LWay step, \(batch) x \(patch)x\(patch) patches (E, S, R, LPIPS, HF map, Adam on S)",
            threads: threads, seconds: seconds)
    }
}
