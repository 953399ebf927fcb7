import Engine
import Pipeline

/// Draws the damage one frame of old film carries, sized for the picture it is applied to
/// (after the telecine, at the size the transfer was made): grain always, flicker, dust and
/// scratches often. Ranges follow the generated reel (samples/README.md) and widen it both ways.
public struct FilmDamageSampler: Sendable {
    /// Grain standard deviation at mid-grey, and its correlation length in pixels.
    public var grainStrength: ClosedRange<Double> = 0.015...0.06
    public var grainSize: ClosedRange<Double> = 0.6...1.8
    public var flickerProbability = 0.7
    public var flickerGain: ClosedRange<Double> = 0.88...1.12
    public var dustProbability = 0.6
    /// Specks per 64x64 pixels.
    public var dustDensity: ClosedRange<Int> = 1...6
    public var scratchProbability = 0.4

    public init() {}

    public func sample(height: Int, width: Int, using generator: inout SeededGenerator) -> [FilmDamage] {
        // Mostly black-and-white stock: monochrome grain with probability 0.7.
        var damage: [FilmDamage] = [.grain(strength: Double.random(in: grainStrength, using: &generator),
                                           size: Double.random(in: grainSize, using: &generator),
                                           monochrome: Double.random(in: 0..<1, using: &generator) < 0.7,
                                           seed: generator.next())]
        if Double.random(in: 0..<1, using: &generator) < flickerProbability {
            damage.append(.flicker(gain: Double.random(in: flickerGain, using: &generator)))
        }
        if Double.random(in: 0..<1, using: &generator) < dustProbability {
            let count = max(1, Int.random(in: dustDensity, using: &generator) * height * width / 4096)
            damage.append(.dust(count: count, radius: Double.random(in: 0.6...2, using: &generator), seed: generator.next()))
        }
        if Double.random(in: 0..<1, using: &generator) < scratchProbability {
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                // Bright (emulsion scraped off the print) with p 0.65, else dark.
                let strength = Double.random(in: 0.06...0.25, using: &generator) * (Double.random(in: 0..<1, using: &generator) < 0.65 ? 1 : -1)
                damage.append(.scratch(x: Double.random(in: 0..<Double(width), using: &generator),
                                       width: Double.random(in: 0.5...1.5, using: &generator), strength: strength))
            }
        }
        return damage
    }
}
