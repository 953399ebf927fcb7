import Engine

/// Which of the SR model's weights per-scene fine-tuning may change; the rest stay frozen.
public enum TunedParameters: Codable, Equatable, Sendable {
    case all
    /// The last layers, in graph order, that together hold about this share of the weights
    /// (LWay's ablation tuned 65%): the tail shapes the output, the head's generic features stay.
    case lastShare(Double)
    /// Weights whose names start with one of these prefixes (as the model file names its layers).
    case named([String])

    /// Marks the chosen parameters trainable and freezes the others; returns how many values are tuned.
    @discardableResult
    public func apply(to parameters: [Parameter]) throws -> Int {
        let chosen = try choose(in: parameters)
        for (parameter, isChosen) in zip(parameters, chosen) { parameter.isTrainable = isChosen }
        return zip(parameters, chosen).reduce(0) { $0 + ($1.1 ? $1.0.value.count : 0) }
    }

    /// Which of `parameters` are tuned, changing nothing; throws when the choice is impossible.
    public func choose(in parameters: [Parameter]) throws -> [Bool] {
        switch self {
        case .all:
            return parameters.map { _ in true }
        case .lastShare(let share):
            guard share > 0 && share <= 1 else { throw PipelineError("tuned share \(share) must be in (0, 1]") }
            let total = parameters.reduce(0) { $0 + $1.value.count }
            var remaining = Double(total) * share
            return parameters.reversed().map { parameter -> Bool in
                guard remaining > 0 else { return false }
                remaining -= Double(parameter.value.count)
                return true
            }.reversed()
        case .named(let prefixes):
            let chosen = parameters.map { parameter in prefixes.contains { parameter.name.hasPrefix($0) } }
            guard chosen.contains(true) else {
                throw PipelineError("no weight of the model is named \(prefixes.joined(separator: ", ")); its layers are "
                                    + parameters.map(\.name).joined(separator: ", "))
            }
            return chosen
        }
    }
}
