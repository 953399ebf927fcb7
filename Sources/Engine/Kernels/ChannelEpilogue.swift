import CKernels

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

    /// The bias and negative slope of `channel` (slope 1: negatives pass unchanged).
    @inline(__always)
    func coefficients(channel: Int) -> (bias: Float, slope: Float) {
        let slope = negativeSlope(channel)
        precondition(!accumulates || slope == nil, "an accumulating epilogue has no activation")
        return (bias?[channel] ?? 0, slope ?? 1)
    }

    /// target[i] = epilogue(source[i]) for `count` values of `channel`; target may be source.
    @inline(__always)
    func store(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int, channel: Int) {
        let (bias, slope) = coefficients(channel: channel)
        filmsr_channel_epilogue(source, target, count, bias, slope, accumulates ? 1 : 0)
    }
}
