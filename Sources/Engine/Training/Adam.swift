import Foundation

/// Adam (Kingma and Ba) with optional decoupled weight decay (AdamW, Loshchilov and Hutter).
/// Frozen parameters are skipped. The moments live here, keyed by parameter.
public final class Adam {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public var weightDecay: Float
    public private(set) var stepCount = 0
    private var moments: [ObjectIdentifier: (first: Tensor, second: Tensor)] = [:]

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Applies one update from the parameters' accumulated gradients (which it leaves as they are).
    public func step(_ parameters: [Parameter]) {
        stepCount += 1
        let correction1 = 1 - pow(beta1, Float(stepCount)), correction2 = 1 - pow(beta2, Float(stepCount))
        for parameter in parameters where parameter.isTrainable {
            let key = ObjectIdentifier(parameter)
            let state = moments[key] ?? (Tensor(parameter.shape), Tensor(parameter.shape))
            moments[key] = state
            let w = parameter.value.data, g = parameter.gradient.data, m = state.first.data, v = state.second.data
            for i in 0..<parameter.value.count {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let update = (m[i] / correction1) / ((v[i] / correction2).squareRoot() + epsilon)
                w[i] -= learningRate * (update + weightDecay * w[i])
            }
        }
    }

    /// The moments of `parameters` as named tensors ("<name>.adam_m", "<name>.adam_v"), so that
    /// an interrupted training run resumes exactly where it stopped.
    public func stateEntries(for parameters: [Parameter]) -> [Safetensors.Entry] {
        parameters.filter(\.isTrainable).flatMap { parameter -> [Safetensors.Entry] in
            let state = moments[ObjectIdentifier(parameter)] ?? (Tensor(parameter.shape), Tensor(parameter.shape))
            let shape = parameter.shape.dimensions
            return [Safetensors.Entry(name: parameter.name + ".adam_m", shape: shape, values: state.first.values),
                    Safetensors.Entry(name: parameter.name + ".adam_v", shape: shape, values: state.second.values)]
        }
    }

    /// Restores what `stateEntries` saved, after `stepCount` steps.
    public func restoreState(from entries: [Safetensors.Entry], for parameters: [Parameter], stepCount: Int) throws {
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for parameter in parameters where parameter.isTrainable {
            guard let first = byName[parameter.name + ".adam_m"], let second = byName[parameter.name + ".adam_v"],
                  first.values.count == parameter.value.count, second.values.count == parameter.value.count else {
                throw EngineError("optimiser state for '\(parameter.name)' is missing or has the wrong size")
            }
            moments[ObjectIdentifier(parameter)] = (Tensor(parameter.shape, values: first.values), Tensor(parameter.shape, values: second.values))
        }
        self.stepCount = stepCount
    }
}
