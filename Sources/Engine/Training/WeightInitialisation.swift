import Foundation

/// Starting weights for networks trained from scratch, seeded so that a run repeats exactly.
public enum WeightInitialisation {
    /// He (Kaiming) uniform initialisation for a layer followed by a (leaky) ReLU: weights drawn
    /// from U(-b, b) with b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + slope^2)), times
    /// `scale` (MSRResNet scales residual branches by 0.1 so that deep stacks start near identity).
    /// Biases start at zero.
    public static func kaimingUniform(_ layer: Layer, slope: Float = 0, scale: Float = 1, using generator: inout SeededGenerator) {
        for parameter in layer.parameters {
            let shape = parameter.shape
            if parameter.name.hasSuffix(".bias") {
                parameter.value.fill(0)
                continue
            }
            let fanIn = Float(shape.channels * shape.height * shape.width)
            let gain = (2 / (1 + slope * slope)).squareRoot()
            let bound = scale * gain * (3 / fanIn).squareRoot()
            parameter.value.fillUniform(-bound...bound, using: &generator)
        }
    }
}
