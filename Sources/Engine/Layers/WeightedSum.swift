/// sum_i coefficient_i * input_i over inputs of one shape (ncnn's Eltwise sum and BinaryOp
/// add; with one input, a scaling).
public final class WeightedSum: Layer {
    public let coefficients: [Float]

    public init(coefficients: [Float]) { self.coefficients = coefficients }
    public var kind: String { "WeightedSum" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs.count == coefficients.count else { throw EngineError("\(coefficients.count) coefficients for \(inputs.count) inputs") }
        for shape in inputs where shape != inputs[0] { throw EngineError("cannot add \(shape) to \(inputs[0])") }
        return [inputs[0]]
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let y = outputs[0].data, count = outputs[0].count
        let first = inputs[0].data, a = coefficients[0]
        for i in 0..<count { y[i] = a * first[i] }
        for (input, coefficient) in zip(inputs.dropFirst(), coefficients.dropFirst()) {
            let x = input.data
            for i in 0..<count { y[i] += coefficient * x[i] }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        for (gradient, coefficient) in zip(inputGradients, coefficients) {
            gradient?.add(outputGradients[0], scale: coefficient)
        }
    }
}
