import Foundation

/// SplitMix64: a small, fast generator whose whole state is one seed, so that every random
/// choice (patches, degradations, initial weights) repeats exactly for a given seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box-Muller).
    public mutating func nextNormal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self), v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

extension Tensor {
    /// Fills with values drawn uniformly from `range`.
    public func fillUniform(_ range: ClosedRange<Float>, using generator: inout SeededGenerator) {
        for i in 0..<count { data[i] = Float.random(in: range, using: &generator) }
    }
}
