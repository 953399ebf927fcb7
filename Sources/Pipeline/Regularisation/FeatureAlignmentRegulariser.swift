import Engine
import Foundation

/// The feature-alignment regulariser (FAR) of "High-Resolution Be Aware!": a small trainable
/// encoder G taught, on clean natural photographs only, to predict what a fixed established
/// encoder F sees in a picture, both summarised by Gram statistics (`GramStatistics`) and
/// projected to a common size. On a picture unlike those (an SR output with artefacts) G and F
/// disagree; that disagreement, the mean squared difference of the two projections, is the loss.
///
/// F is the LPIPS AlexNet (the paper's CLIP RN50 is not obtainable here; LPIPS loads AlexNet
/// anyway, and it is an ImageNet-trained encoder, where the SR model's own trunk would be the
/// thing regularised), cut after its second stage: the Gram statistics of conv1 (64 channels)
/// and conv2 (192), low-level layers where blur, noise and blocking show, and with enough
/// positions for a Gram at patch sizes (conv3 onwards is 5x5 at 96 pixels).
///
/// Collapse: were both projections trained, mapping both to zero would give zero loss. F's
/// projection is therefore fixed: each statistic standardised by its mean and spread over clean
/// training patches (`calibrate`), then a seeded random orthogonal 64 x 512 matrix, folded into
/// one frozen 1x1 convolution. The target has about unit variance per dimension, so G can only
/// lower the loss by tracking how F's statistics vary from picture to picture, and a loss near 1
/// means G explains nothing.
///
/// Squared, not absolute, differences: their gradient fades as G and F agree, so an output that
/// already looks natural is left nearly alone and the pull grows with the disagreement; L1's
/// constant-size gradient would push as hard on either. One instance keeps its graphs' buffers
/// between calls, so it is for one thread at a time.
public final class FeatureAlignmentRegulariser {
    /// Length of both projected vectors.
    public static let dimension = 64
    /// AlexNet stages F is cut after.
    public static let referenceStages = 2
    /// Smallest picture side: AlexNet's conv1 and pooling need 31 pixels (as LPIPS does).
    public static let minimumSize = LPIPS.minimumSize
    static let format = "filmsr-feature-alignment/1"

    /// F: RGB -> frozen AlexNet -> Gram statistics of conv1 and conv2 -> fixed projection.
    public let reference: Graph
    /// G: RGB -> four small convolutions -> Gram statistics of the last two -> trained projection.
    public let encoder: Graph
    private let referenceProjection: Convolution
    /// The concatenated Gram statistics of F, before the projection (what `calibrate` reads).
    private let referenceStatisticsBlob: Int
    private let referenceOutputBlob: Int

    /// $FILMSR_FAR, else weights/far-alexnet.safetensors (see AssetLocation).
    public static var defaultPath: String {
        AssetLocation.find("weights/far-alexnet.safetensors", environmentVariable: "FILMSR_FAR")
    }

    /// A fresh regulariser (G initialised, F's projection random orthogonal but not yet
    /// calibrated); `lpips` is the LPIPS weights file F is read from.
    public init(lpips: String, seed: UInt64) throws {
        let alexNet = try AlexNetFeatures.load(from: lpips, stageCount: Self.referenceStages)
        let statistics = alexNet.outputBlobs.enumerated().map { index, tap in
            alexNet.add(GramStatistics(), name: "far.reference.gram\(index + 1)", tap)
        }
        referenceStatisticsBlob = alexNet.add(Concat(), name: "far.reference.statistics", inputs: statistics)[0]
        let statisticsCount = 2 * AlexNetFeatures.tapChannels.prefix(Self.referenceStages).reduce(0, +)
        referenceProjection = Convolution(name: "far.reference.projection", inputChannels: statisticsCount,
                                          outputChannels: Self.dimension, geometry: ConvolutionGeometry(kernel: 1))
        var generator = SeededGenerator(seed: seed)
        referenceProjection.weight.value.copy(from: Self.randomOrthonormalRows(Self.dimension, statisticsCount, using: &generator))
        referenceProjection.weight.isTrainable = false
        referenceProjection.bias!.isTrainable = false
        referenceOutputBlob = alexNet.add(referenceProjection, name: "far.reference.projection", referenceStatisticsBlob)
        alexNet.outputBlobs = [referenceOutputBlob]
        reference = alexNet
        encoder = Self.buildEncoder(seed: generator.next())
    }

    /// G: 3 -> 16 -> 32 (stride 2) -> 32 -> 64 (stride 2), 3x3 with LeakyReLU 0.2; the Gram
    /// statistics of the last two layers (64 + 128 values), projected by a 1x1 convolution.
    /// 45 k weights: small enough to train in minutes, and to add little to an adaptation step.
    private static func buildEncoder(seed: UInt64) -> Graph {
        var builder = NetworkBuilder(prefix: "far.encoder", seed: seed)
        let leaky = Activation.leakyReLU(slope: 0.2)
        let rgb = builder.input("rgb")
        let first = builder.convolution(rgb, "conv1", from: 3, to: 16, activation: leaky)
        let second = builder.convolution(first, "conv2", from: 16, to: 32, stride: 2, activation: leaky)
        let third = builder.convolution(second, "conv3", from: 32, to: 32, activation: leaky)
        let fourth = builder.convolution(third, "conv4", from: 32, to: 64, stride: 2, activation: leaky)
        let statistics = [builder.layer(GramStatistics(), "gram3", third), builder.layer(GramStatistics(), "gram4", fourth)]
        let joined = builder.graph.add(Concat(), name: "statistics", inputs: statistics)[0]
        let projected = builder.convolution(joined, "projection", from: 2 * (32 + 64), to: dimension, kernel: 1)
        return builder.finish(outputs: [projected])
    }

    /// `rows` orthonormal vectors of length `columns` (Gram-Schmidt on Gaussian draws), as a
    /// rows x columns x 1 x 1 weight.
    static func randomOrthonormalRows(_ rows: Int, _ columns: Int, using generator: inout SeededGenerator) -> Tensor {
        precondition(rows <= columns, "at most \(columns) orthonormal rows of length \(columns)")
        var vectors: [[Double]] = []
        while vectors.count < rows {
            var vector = (0..<columns).map { _ in generator.nextNormal() }
            for other in vectors {
                let dot = zip(vector, other).reduce(0) { $0 + $1.0 * $1.1 }
                for k in 0..<columns { vector[k] -= dot * other[k] }
            }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-6 else { continue }
            vectors.append(vector.map { $0 / norm })
        }
        return Tensor(Shape(rows, columns, 1, 1), values: vectors.flatMap { $0.map(Float.init) })
    }

    /// Parameters saved with the regulariser (AlexNet's come from the LPIPS file).
    public var ownParameters: [Parameter] { referenceProjection.parameters + encoder.parameters }

    /// Freezes or unfreezes G (F is always frozen).
    public func setTrainable(_ trainable: Bool) {
        for parameter in encoder.parameters { parameter.isTrainable = trainable }
    }

    // MARK: Calibration

    /// Smallest spread a statistic is divided by: near-constant ones (a channel that never
    /// fires) must not be blown up into noise.
    static let minimumSpread: Float = 0.01

    /// Folds the standardisation of F's statistics into its projection: weight W / spread,
    /// bias -W (mean / spread), the mean and spread taken over `patches` of clean photographs,
    /// W the random orthonormal rows the projection holds now.
    package func calibrate(on patches: Tensor) throws {
        try check(patches.shape)
        reference.outputBlobs = [referenceStatisticsBlob]
        defer { reference.outputBlobs = [referenceOutputBlob] }
        let statistics = try reference.forward([patches])[0]
        let count = statistics.shape.channels, samples = statistics.shape.batch
        let weight = referenceProjection.weight.value, bias = referenceProjection.bias!.value
        for k in 0..<count {
            var sum = 0.0, squares = 0.0
            for n in 0..<samples {
                let value = Double(statistics[n, k, 0, 0])
                sum += value
                squares += value * value
            }
            let mean = sum / Double(samples)
            let spread = max(Self.minimumSpread, Float((max(0, squares / Double(samples) - mean * mean)).squareRoot()))
            for row in 0..<Self.dimension {
                weight.data[row * count + k] /= spread
                bias.data[row] -= weight.data[row * count + k] * Float(mean)
            }
        }
    }

    // MARK: The loss

    func check(_ shape: Shape) throws {
        guard shape.channels == 3, min(shape.height, shape.width) >= Self.minimumSize else {
            throw PipelineError("the feature-alignment regulariser needs RGB pictures of at least \(Self.minimumSize)x\(Self.minimumSize), got \(shape)")
        }
    }

    /// The alignment loss of each batch item: mean over the 64 dimensions of (G - F)^2.
    public func distances(_ images: Tensor) throws -> [Double] {
        try check(images.shape)
        let target = try reference.forward([images])[0], prediction = try encoder.forward([images])[0]
        return (0..<images.shape.batch).map { n in
            (0..<Self.dimension).reduce(0.0) { total, k in
                let difference = Double(prediction[n, k, 0, 0] - target[n, k, 0, 0])
                return total + difference * difference
            } / Double(Self.dimension)
        }
    }

    /// The alignment loss of a batch of SR outputs (RGB in [0, 1]), averaged over items, and its
    /// gradient with respect to them, through both encoders (neither learns from it).
    public func loss(_ sr: Tensor) throws -> (value: Double, gradient: Tensor) {
        try check(sr.shape)
        let target = try reference.forward([sr], training: true)[0], prediction = try encoder.forward([sr], training: true)[0]
        let difference = Loss.mse(prediction, target)
        let opposite = Tensor(difference.gradient.shape)
        opposite.add(difference.gradient, scale: -1)
        let gradient = encoder.backward([difference.gradient])[0]
        gradient.add(reference.backward([opposite])[0])
        return (difference.value, gradient)
    }

    /// One training batch of clean patches: the alignment loss, with G's gradients (zeroed
    /// first) left in its parameters for the optimiser. F is only run forward.
    package func trainingLoss(_ patches: Tensor) throws -> Double {
        try check(patches.shape)
        let target = try reference.forward([patches])[0], prediction = try encoder.forward([patches], training: true)[0]
        let difference = Loss.mse(prediction, target)
        encoder.zeroGradients()
        encoder.backward([difference.gradient])
        return difference.value
    }

    // MARK: Files

    /// Writes G and F's projection (not AlexNet: that is the LPIPS file's), atomically.
    public func save(to path: String, metadata: [String: String] = [:], extraEntries: [Safetensors.Entry] = []) throws {
        var metadata = metadata
        metadata["format"] = Self.format
        metadata["reference"] = "LPIPS AlexNet v0.1, Gram statistics of conv1 and conv2 (after ReLU)"
        try Safetensors.write(ownParameters.map(\.entry) + extraEntries, metadata: metadata, to: path)
    }

    /// A regulariser saved by `save` (weights/far-alexnet.safetensors, made by
    /// `filmsr lab train far`), with F read from the LPIPS weights at `lpips`. Everything frozen:
    /// ready for `loss`.
    public static func load(from path: String, lpips: String = LPIPS.defaultWeightsPath) throws -> FeatureAlignmentRegulariser {
        try read(from: path, lpips: lpips).regulariser
    }

    /// `load`, plus the file's metadata and every entry (a checkpoint's optimiser state).
    package static func read(from path: String, lpips: String) throws -> (regulariser: FeatureAlignmentRegulariser, metadata: [String: String], entries: [Safetensors.Entry]) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError("\(path): no such feature-alignment regulariser")
        }
        let (entries, metadata) = try Safetensors.read(path)
        guard metadata["format"] == format else {
            throw PipelineError("\(path): not a feature-alignment regulariser (it was not written by filmsr lab train far)")
        }
        let regulariser = try FeatureAlignmentRegulariser(lpips: lpips, seed: 0)
        try Checkpoint.assign(entries, readFrom: path, to: regulariser.ownParameters)
        regulariser.setTrainable(false)
        return (regulariser, metadata, entries)
    }
}
