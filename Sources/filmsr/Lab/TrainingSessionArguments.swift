import ArgumentParser
import Engine
import Foundation
import Lab
import Media
import Pipeline

/// The flags both `lab train` commands share: where the run lives and where its result goes,
/// how this session checkpoints and ends, and the assets it reads.
struct TrainingSessionArguments: ParsableArguments {
    @Option(help: "Work folder: options, checkpoint, loss.tsv, validation.tsv, result.")
    var work: String

    @Option(help: "Where to copy the trained weights when done.")
    var output: String?

    @Flag(name: .customLong("output-half"), help: "Write --output in float16: half the size, for weights to commit.")
    var outputHalf = false

    @Option(name: .customLong("checkpoint-every"), help: "Steps between checkpoints (default: the training's own, see README).")
    var checkpointEvery: Int?

    @Option(name: .customLong("validate-every"), help: "Steps between held-out measurements (default: the training's own).")
    var validateEvery: Int?

    @Option(name: .customLong("stop-after"), help: "End this session after that step (resume later with the same command).")
    var stopAfter: Int?

    @Option(help: "Threads for the matrix products (default: one per core).")
    var threads = 0

    @Option(help: "Folder of training photographs (default: $FILMSR_PHOTOS or assets/photos).")
    var photos: String?

    @Option(help: "LPIPS weights (default: $FILMSR_LPIPS or assets/lpips/alexnet.safetensors).")
    var lpips: String?

    var lpipsWeights: String { lpips ?? LPIPS.defaultWeightsPath }

    func validate() throws {
        guard checkpointEvery.map({ $0 > 0 }) ?? true, validateEvery.map({ $0 > 0 }) ?? true else {
            throw UsageError("--checkpoint-every and --validate-every must be positive")
        }
        guard output != nil || !outputHalf else { throw UsageError("--output-half needs --output") }
    }

    /// The training and held-out photographs.
    func photoLibraries() throws -> (training: PhotoLibrary, heldOut: PhotoLibrary) {
        let folder = photos ?? PhotoLibrary.defaultDirectory
        return (try PhotoLibrary.load(split: .training, directory: folder), try PhotoLibrary.load(split: .heldOut, directory: folder))
    }

    /// Sets the threads and checks --output, before any training: what `session` exports to.
    func prepare() throws -> OutputPath? {
        BLASRuntime.setThreadCount(threads)
        return try output.map { try OutputPath($0, inputs: []) }
    }

    /// Runs one session of a training of `steps` that has done `completedSteps`: `train` trains
    /// and returns the steps done; once all are done the result goes to --output (checked before
    /// any training by `prepare`) and its path to standard output.
    func train(steps: Int, completedSteps: Int, folder: TrainingWorkFolder, destination: OutputPath?,
                 train: (JobEvents) throws -> Int) throws {
        let terminal = TerminalEvents()
        if completedSteps > 0 { terminal.handle(.message("resuming at step \(completedSteps) of \(steps)")) }
        let done = try train(terminal.handle)
        guard done == steps else {
            terminal.handle(.message("stopped at step \(done) of \(steps); run the same command again to go on"))
            return
        }
        if let destination { try folder.exportResult(to: destination, precision: outputHalf ? .float16 : .float32) }
        print(output ?? folder.result)
    }
}
