import Engine

/// What the acceptance gate measures a set of SR weights on: consecutive LR frame pairs of the
/// unit's scenes that fine-tuning never trained on (see `RestoreJob`'s evidence frames), each
/// cropped at its centre so that a measurement costs about a second whatever the film's size.
///
/// Every measurement needs no ground truth. They are chosen not to share the training loss's
/// blind spot: a network that paints grain-like texture can lower R(S(LR)) against LR (the
/// reconstruction branch shrinks the texture away) while its output gains detail the film never
/// had, in flat areas and differently in every frame.
public struct AcceptanceEvidence {
    /// Largest side of the centre crop of each evidence frame, in LR pixels.
    public static let cropSide = 128

    public struct Pair {
        public var first: Tensor
        public var second: Tensor
        public init(first: Tensor, second: Tensor) {
            self.first = first
            self.second = second
        }
    }

    /// Raw measurements of one set of weights (see `AcceptanceSignals` for how they compare).
    public struct Measurement: Codable, Equatable, Sendable {
        /// The self-supervised loss on the evidence frames, with LR itself as the target.
        public var selfSupervisedLoss: Double
        /// Mean absolute difference between the SR output shrunk back by area averaging and the LR.
        public var backProjectionError: Double
        /// Mean square of the change of luma between the SR outputs of consecutive frames.
        public var temporalEnergy: Double
        /// Mean square of the luma's high-pass (luma minus its 3x3 mean) where the pretrained
        /// network's output is flat (the quarter of its pixels with the weakest gradient).
        public var flatDetailEnergy: Double
        /// The share of the pretrained output's high-pass detail that these weights take away
        /// (negative: detail added); 0 for the pretrained weights. See `ChangeMeasures`.
        public var detailRemoved: Double = 0
        /// How alike the change from the pretrained output is in the two frames of a pair, once
        /// aligned (correlation, -1...1): noise taken out differs from frame to frame, texture
        /// taken out or painted in does not; 0 for the pretrained weights.
        public var changeCoherence: Double = 0

        public init(
            selfSupervisedLoss: Double, backProjectionError: Double, temporalEnergy: Double, flatDetailEnergy: Double,
            detailRemoved: Double = 0, changeCoherence: Double = 0
        ) {
            self.selfSupervisedLoss = selfSupervisedLoss
            self.backProjectionError = backProjectionError
            self.temporalEnergy = temporalEnergy
            self.flatDetailEnergy = flatDetailEnergy
            self.detailRemoved = detailRemoved
            self.changeCoherence = changeCoherence
        }

        /// Measurements recorded before the change measures existed read them as 0.
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            selfSupervisedLoss = try container.decode(Double.self, forKey: .selfSupervisedLoss)
            backProjectionError = try container.decode(Double.self, forKey: .backProjectionError)
            temporalEnergy = try container.decode(Double.self, forKey: .temporalEnergy)
            flatDetailEnergy = try container.decode(Double.self, forKey: .flatDetailEnergy)
            detailRemoved = try container.decodeIfPresent(Double.self, forKey: .detailRemoved) ?? 0
            changeCoherence = try container.decodeIfPresent(Double.self, forKey: .changeCoherence) ?? 0
        }
    }

    public let pairs: [Pair]
    /// Per pair, the pixels of the first SR frame where the pretrained output is flat; set by
    /// the first measurement (the pretrained weights') and reused for every later one.
    private var flatMasks: [[Bool]] = []
    /// Per pair, the pretrained output and where the second frame lies against the first, for
    /// the change measures; set by the first measurement too.
    private var references: [ChangeMeasures] = []

    public init(pairs: [Pair]) {
        self.pairs = pairs.map { pair in
            Pair(first: Self.centreCrop(pair.first), second: Self.centreCrop(pair.second))
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// Measures the weights now in `model`; `loss(lr)` is the self-supervised loss of those
    /// weights with LR itself as target (LWay's own). The first call must be with the pretrained
    /// weights: it fixes the flat masks.
    public mutating func measure(_ model: SRModel, loss: (Tensor) throws -> Double) throws -> Measurement {
        var total = Measurement(selfSupervisedLoss: 0, backProjectionError: 0, temporalEnergy: 0, flatDetailEnergy: 0)
        let firstMeasurement = flatMasks.isEmpty
        var removed = 0.0, coherence = 0.0
        for (index, pair) in pairs.enumerated() {
            let first = try model.upscale(pair.first), second = try model.upscale(pair.second)
            first.clamp()
            second.clamp()
            total.selfSupervisedLoss += try loss(pair.first)
            total.backProjectionError += Self.backProjectionError(first, lr: pair.first)
            let lumaFirst = Self.luma(first), lumaSecond = Self.luma(second)
            total.temporalEnergy += zip(lumaFirst, lumaSecond).reduce(0) { $0 + Double(($1.1 - $1.0) * ($1.1 - $1.0)) } / Double(lumaFirst.count)
            if firstMeasurement {
                flatMasks.append(Self.flatMask(lumaFirst, width: first.shape.width))
                references.append(
                    ChangeMeasures(
                        pretrainedFirst: lumaFirst, pretrainedSecond: lumaSecond, width: first.shape.width,
                        lrFirst: pair.first, lrSecond: pair.second))
            }
            total.flatDetailEnergy += Self.highPassEnergy(lumaFirst, width: first.shape.width, mask: flatMasks[index])
            let change = references[index].measure(first: lumaFirst, second: lumaSecond)
            removed += change.detailRemoved
            coherence += change.coherence
        }
        let count = Double(max(1, pairs.count))
        return Measurement(
            selfSupervisedLoss: total.selfSupervisedLoss / count, backProjectionError: total.backProjectionError / count,
            temporalEnergy: total.temporalEnergy / count, flatDetailEnergy: total.flatDetailEnergy / count,
            detailRemoved: removed / count, changeCoherence: coherence / count)
    }

    static func centreCrop(_ frame: Tensor) -> Tensor {
        let height = min(frame.shape.height, cropSide), width = min(frame.shape.width, cropSide)
        return frame.crop(top: (frame.shape.height - height) / 2, left: (frame.shape.width - width) / 2, height: height, width: width)
    }

    static func backProjectionError(_ sr: Tensor, lr: Tensor) -> Double {
        let shrunk = Resize.apply(.area, to: sr, height: lr.shape.height, width: lr.shape.width)
        var sum = 0.0
        for i in 0..<lr.count { sum += Double(abs(shrunk.buffer[i] - lr.buffer[i])) }
        return sum / Double(lr.count)
    }

    /// BT.601 luma of the first item.
    static func luma(_ image: Tensor) -> [Float] {
        let red = image.plane(0, 0), green = image.plane(0, 1), blue = image.plane(0, 2)
        return (0..<image.shape.planeSize).map { 0.299 * red[$0] + 0.587 * green[$0] + 0.114 * blue[$0] }
    }

    /// Share of the pixels counted as flat: the pretrained output's weakest gradients.
    static let flatShare = 0.25

    static func flatMask(_ luma: [Float], width: Int) -> [Bool] {
        let height = luma.count / width
        var gradient = [Float](repeating: 0, count: luma.count)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let dx = x + 1 < width ? luma[i + 1] - luma[i] : 0, dy = y + 1 < height ? luma[i + width] - luma[i] : 0
                gradient[i] = abs(dx) + abs(dy)
            }
        }
        let threshold = gradient.sorted()[min(gradient.count - 1, Int(Double(gradient.count) * flatShare))]
        return gradient.map { $0 <= threshold }
    }

    /// Luma minus its 3x3 mean, 0 on the border.
    static func highPass(_ luma: [Float], width: Int) -> [Float] {
        let height = luma.count / width
        var result = [Float](repeating: 0, count: luma.count)
        for y in 1..<max(1, height - 1) {
            for x in 1..<max(1, width - 1) {
                var mean: Float = 0
                for dy in -1...1 { for dx in -1...1 { mean += luma[(y + dy) * width + x + dx] } }
                result[y * width + x] = luma[y * width + x] - mean / 9
            }
        }
        return result
    }

    static func highPassEnergy(_ luma: [Float], width: Int, mask: [Bool]) -> Double {
        let height = luma.count / width, detail = highPass(luma, width: width)
        var sum = 0.0, count = 0
        for y in 1..<max(1, height - 1) {
            for x in 1..<max(1, width - 1) where mask[y * width + x] {
                sum += Double(detail[y * width + x] * detail[y * width + x])
                count += 1
            }
        }
        return sum / Double(max(1, count))
    }
}
