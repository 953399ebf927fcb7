import CFFmpeg

/// An exact ratio such as a time base (1/90000) or a frame rate (30000/1001).
public struct Rational: Equatable, Hashable, Sendable, CustomStringConvertible, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ value: AVRational) {
        self.init(Int(value.num), Int(value.den))
    }

    var av: AVRational { AVRational(num: Int32(numerator), den: Int32(denominator)) }

    /// Zero when the denominator is zero (FFmpeg's "unknown").
    public var value: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }
    public var isKnown: Bool { numerator != 0 && denominator != 0 }
    public var description: String { "\(numerator)/\(denominator)" }
}
