/// What a convolution does to each output channel after its matrix product, in one pass over
/// the values: add the bias, then apply its fused activation and, at inference, the slope of a
/// PReLU that follows it. Every such activation keeps positives and scales negatives (slopes
/// are positive), so the whole is v = x + bias, v > 0 ? v : slope * v with one slope per channel.
struct ChannelEpilogue {
    let bias: UnsafePointer<Float>?
    let activation: Activation
    /// Per-channel slopes of a PReLU folded in (nil: none).
    let preluSlopes: UnsafePointer<Float>?
    /// Adds into the target instead of overwriting it: a backward pass's input gradient, which
    /// other readers of the same input add to as well (the Layer contract).
    var accumulates = false

    /// Slope of negative values in `channel`, or nil where negatives pass unchanged.
    @inline(__always)
    private func negativeSlope(_ channel: Int) -> Float? {
        let own: Float
        switch activation {
        case .none: own = 1
        case .relu: own = 0
        case .leakyReLU(let slope): own = slope
        }
        let slope = own * (preluSlopes?[channel] ?? 1)
        return slope == 1 ? nil : slope
    }

    /// target[i] = epilogue(source[i]) for `count` values of `channel`; target may be source.
    @inline(__always)
    func store(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int, channel: Int) {
        let b = bias?[channel] ?? 0
        if accumulates {
            precondition(negativeSlope(channel) == nil, "an accumulating epilogue has no activation")
            for i in 0..<count { target[i] += source[i] + b }
        } else if let slope = negativeSlope(channel) {
            for i in 0..<count {
                let v = source[i] + b
                target[i] = v > 0 ? v : slope * v
            }
        } else {
            for i in 0..<count { target[i] = source[i] + b }
        }
    }
}
