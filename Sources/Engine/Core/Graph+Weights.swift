extension Graph {
    /// Copies of every parameter's values, in `parameters` order.
    public func snapshot() -> [Tensor] { parameters.map { $0.value.copy() } }

    /// Puts `values` (one per parameter, as `snapshot` gives them) into the parameters.
    public func load(_ values: [Tensor]) {
        let parameters = self.parameters
        precondition(values.count == parameters.count, "\(values.count) values for \(parameters.count) parameters")
        for (parameter, value) in zip(parameters, values) { parameter.value.copy(from: value) }
    }
}
