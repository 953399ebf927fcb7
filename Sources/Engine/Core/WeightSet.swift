/// The values of every parameter of one network, in its `parameters` order, copied out of it:
/// what fine-tuning keeps (the pretrained start, checkpoints, the best weights seen, moving
/// averages), blends and puts back. A set never shares storage with a network's live parameters,
/// so whoever holds one owns it: training the network cannot change it.
public struct WeightSet: @unchecked Sendable {
    public let values: [Tensor]

    /// Copies of the parameters' current values.
    public init(copying parameters: [Parameter]) {
        values = parameters.map { $0.value.copy() }
    }

    /// Takes `values` as they are; the caller gives up every other reference to them.
    public init(owning values: [Tensor]) {
        self.values = values
    }

    /// self + share * (other - self), value by value: `other` itself, bit for bit, at share 1.
    public func moved(toward other: WeightSet, share: Double) -> WeightSet {
        precondition(values.count == other.values.count, "weights of two different networks")
        guard share != 1 else { return other }
        return WeightSet(owning: zip(values, other.values).map { start, end in
            let value = start.copy()
            value.add(end, scale: Float(share))
            value.add(start, scale: -Float(share))
            return value
        })
    }

    /// Puts the values into `parameters` (the same network, the same order).
    public func load(into parameters: [Parameter]) {
        precondition(values.count == parameters.count, "\(values.count) values for \(parameters.count) parameters")
        for (parameter, value) in zip(parameters, values) { parameter.value.copy(from: value) }
    }
}

extension Graph {
    /// The network's current weights.
    public func snapshot() -> WeightSet { WeightSet(copying: parameters) }

    /// Puts `weights` (a snapshot of this network or of one built alike) into the network.
    public func load(_ weights: WeightSet) { weights.load(into: parameters) }

    /// Runs `body` with `weights` in the network, then puts back the weights it had.
    public func withWeights<T>(_ weights: WeightSet, _ body: () throws -> T) rethrows -> T {
        let current = snapshot()
        load(weights)
        defer { load(current) }
        return try body()
    }
}
