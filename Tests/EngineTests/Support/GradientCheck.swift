import XCTest
@testable import Engine

func randomTensor(_ shape: Shape, _ generator: inout SeededGenerator, awayFromZero: Float = 0) -> Tensor {
    let tensor = Tensor(shape)
    for i in 0..<tensor.count {
        var value = Float.random(in: -1...1, using: &generator)
        if abs(value) < awayFromZero { value += value < 0 ? -awayFromZero : awayFromZero }
        tensor.data[i] = value
    }
    return tensor
}

/// Checks an layer's backward pass against central finite differences of
/// loss = sum(projection * output), for every input value and every trainable parameter value
/// (or a random sample of them for big tensors). The loss is accumulated in Double; the step is
/// large enough for float32 forward passes to resolve.
func checkGradients(_ layer: Layer, inputShapes: [Shape], seed: UInt64 = 1, awayFromZero: Float = 0,
                    step: Float = 1e-3, tolerance: Double = 1e-2, samples: Int = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws {
    var generator = SeededGenerator(seed: seed)
    let inputs = inputShapes.map { randomTensor($0, &generator, awayFromZero: awayFromZero) }
    for parameter in layer.parameters {
        for i in 0..<parameter.value.count { parameter.value.data[i] = Float.random(in: -0.5...0.5, using: &generator) }
        parameter.gradient.fill(0)
    }
    let outputShapes = try layer.outputShapes(for: inputShapes)
    let projections = outputShapes.map { randomTensor($0, &generator) }

    func loss() -> Double {
        let outputs = outputShapes.map { Tensor($0) }
        layer.forward(inputs, outputs)
        var total = 0.0
        for (output, projection) in zip(outputs, projections) {
            for i in 0..<output.count { total += Double(output.data[i]) * Double(projection.data[i]) }
        }
        return total
    }

    let outputs = outputShapes.map { Tensor($0) }
    layer.forward(inputs, outputs)
    let inputGradients = inputShapes.map { Tensor($0) }
    layer.backward(inputs: inputs, outputs: outputs, outputGradients: projections, inputGradients: inputGradients)

    var worst = 0.0
    func compare(_ values: Tensor, _ analytic: Tensor, _ what: String) {
        let indices = values.count <= samples ? Array(0..<values.count)
            : (0..<samples).map { _ in Int.random(in: 0..<values.count, using: &generator) }
        for i in indices {
            let original = values.data[i]
            values.data[i] = original + step
            let plus = loss()
            values.data[i] = original - step
            let minus = loss()
            values.data[i] = original
            let numeric = (plus - minus) / (2 * Double(step))
            let error = abs(numeric - Double(analytic.data[i])) / max(1, abs(numeric))
            worst = max(worst, error)
            if error > tolerance {
                XCTFail("\(layer.kind) \(what)[\(i)]: backward \(analytic.data[i]), finite differences \(numeric)", file: file, line: line)
                return
            }
        }
    }
    for (index, (input, gradient)) in zip(inputs, inputGradients).enumerated() { compare(input, gradient, "input \(index)") }
    for parameter in layer.parameters where parameter.isTrainable { compare(parameter.value, parameter.gradient, parameter.name) }
}
