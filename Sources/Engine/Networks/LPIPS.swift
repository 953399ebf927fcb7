import Foundation

/// LPIPS v0.1 with AlexNet (Zhang et al. 2018), as the reference `lpips` package defines it:
/// RGB in [0, 1] -> [-1, 1] -> ScalingLayer -> AlexNet features, five taps each compared by
/// `LPIPSDistance`, the five summed. All parameters are frozen. As a loss it back-propagates
/// to the prediction only: the target runs through the network without keeping activations.
/// One instance keeps its buffers between calls, so it is for one thread at a time.
public final class LPIPS {
    /// Smallest height and width AlexNet's two poolings accept.
    public static let minimumSize = 31

    private let features: Graph
    private let distances: [LPIPSDistance]

    init() {
        features = AlexNetFeatures.makeGraph()
        distances = AlexNetFeatures.tapChannels.enumerated().map { LPIPSDistance(name: "lpips.head\($0.offset + 1).weight", channels: $0.element) }
    }

    /// Reads the weights written by scripts/fetch-lpips.sh.
    public static func load(from path: String) throws -> LPIPS {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError("\(path): LPIPS weights are missing; run scripts/setup.sh (or scripts/fetch-lpips.sh)")
        }
        let lpips = LPIPS()
        try lpips.assignWeights(FileBytes.read(path), file: path)
        return lpips
    }

    /// Reads the weights in `data` (the bytes of `file`) into this instance; `load` without the
    /// file system, for fuzzing the reader without building a network per input.
    func assignWeights(_ data: Data, file: String) throws {
        do {
            try Checkpoint.load(data, file: file, into: features.parameters + distances.map(\.weight))
        } catch let error as EngineError {
            // The reader's messages start with the path: keep one line that names it once.
            let reason = error.description.hasPrefix(file + ": ") ? String(error.description.dropFirst(file.count + 2)) : error.description
            throw EngineError("\(file): damaged LPIPS weights (\(reason)); run scripts/setup.sh (or scripts/fetch-lpips.sh) to fetch them again")
        }
    }

    /// $FILMSR_LPIPS, else assets/lpips/alexnet.safetensors (see AssetLocation).
    public static var defaultWeightsPath: String {
        AssetLocation.find("assets/lpips/alexnet.safetensors", environmentVariable: "FILMSR_LPIPS")
    }

    private func checkPair(_ x: Tensor, _ y: Tensor, _ operation: String) throws {
        guard x.shape == y.shape else { throw EngineError("LPIPS \(operation) of different shapes \(x.shape) and \(y.shape)") }
        guard x.shape.channels == 3 else { throw EngineError("LPIPS \(operation) needs RGB images (N x 3 x H x W), got \(x.shape)") }
        guard x.shape.height >= Self.minimumSize && x.shape.width >= Self.minimumSize else {
            throw EngineError("LPIPS \(operation) needs images of at least \(Self.minimumSize)x\(Self.minimumSize) pixels, got \(x.shape)")
        }
    }

    /// Distance of each batch item of `x` to the same item of `y` (RGB in [0, 1]).
    public func distances(_ x: Tensor, _ y: Tensor) throws -> [Double] {
        try checkPair(x, y, "distance")
        let tapsX = try features.forward([x]), tapsY = try features.forward([y])
        var totals = [Double](repeating: 0, count: x.shape.batch)
        for (distance, (tapX, tapY)) in zip(distances, zip(tapsX, tapsY)) {
            let perItem = Tensor(Shape(x.shape.batch, 1, 1, 1))
            distance.forward([tapX, tapY], [perItem])
            for n in 0..<x.shape.batch { totals[n] += Double(perItem.data[n]) }
        }
        return totals
    }

    /// Mean LPIPS over the batch and its gradient with respect to `prediction`.
    public func loss(_ prediction: Tensor, _ target: Tensor) throws -> (value: Double, gradient: Tensor) {
        try checkPair(prediction, target, "loss")
        let batch = prediction.shape.batch
        let targetTaps = try features.forward([target])
        let predictionTaps = try features.forward([prediction], training: true)
        let perItem = Tensor(Shape(batch, 1, 1, 1))
        // d(mean over the batch)/d(item distance)
        let upstream = Tensor(Shape(batch, 1, 1, 1))
        upstream.fill(1 / Float(batch))
        var total = 0.0
        var tapGradients: [Tensor] = []
        for (distance, (predicted, wanted)) in zip(distances, zip(predictionTaps, targetTaps)) {
            distance.forward([predicted, wanted], [perItem])
            for n in 0..<batch { total += Double(perItem.data[n]) }
            let gradient = Tensor(predicted.shape)
            distance.backward(inputs: [predicted, wanted], outputs: [perItem], outputGradients: [upstream], inputGradients: [gradient, nil])
            tapGradients.append(gradient)
        }
        let gradient = features.backward(tapGradients)[0]
        return (total / Double(batch), gradient)
    }
}
