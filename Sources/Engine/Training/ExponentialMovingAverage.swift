/// A slowly moving copy of a model's weights (shadow = decay * shadow + (1 - decay) * weights),
/// the smoother set of weights to render with after noisy per-scene fine-tuning.
public final class ExponentialMovingAverage {
    public let decay: Float
    private let parameters: [Parameter]
    private let shadows: [Tensor]

    /// Starts from the parameters' current values.
    public init(_ parameters: [Parameter], decay: Float = 0.999) {
        self.decay = decay
        self.parameters = parameters
        shadows = parameters.map { $0.value.copy() }
    }

    public func update() {
        for (parameter, shadow) in zip(parameters, shadows) where parameter.isTrainable {
            let s = shadow.data, w = parameter.value.data
            for i in 0..<shadow.count { s[i] = decay * s[i] + (1 - decay) * w[i] }
        }
    }

    /// The averaged weights, copied.
    public var averages: WeightSet { WeightSet(owning: shadows.map { $0.copy() }) }
}
