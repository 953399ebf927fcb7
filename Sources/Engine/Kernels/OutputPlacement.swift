import CKernels

/// Where one batch item's output channels go: plane after plane from `base`, or, with a pixel
/// shuffle by `shuffleFactor` folded in, channel c r² + dy r + dx at offset (dy, dx) of each r x r
/// block of plane c, and then with `addend` (plane c: one value per block, the network's input
/// that a nearest upsampling by r would add) added. Either way each channel is written once, in
/// its final place.
struct OutputPlacement {
    let base: UnsafeMutablePointer<Float>
    /// The convolution's output size, before any shuffle.
    let height: Int, width: Int
    var shuffleFactor = 1
    var addend: UnsafePointer<Float>?

    init(_ base: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        self.base = base
        self.height = height
        self.width = width
    }

    /// Shuffled by `factor`, plus `addend` where given.
    init(_ base: UnsafeMutablePointer<Float>, height: Int, width: Int, shuffledBy factor: Int, adding addend: UnsafePointer<Float>?) {
        self.init(base, height: height, width: width)
        shuffleFactor = factor
        self.addend = addend
    }

    /// Where value (0, 0) of `channel` goes.
    func origin(_ channel: Int) -> UnsafeMutablePointer<Float> {
        let r = shuffleFactor, plane = height * width
        if r == 1 { return base + channel * plane }
        let (shuffled, offset) = channel.quotientAndRemainder(dividingBy: r * r)
        return base + shuffled * r * r * plane + (offset / r) * r * width + offset % r
    }

    /// The C kernels' description of `channel`'s place, with `epilogue`'s coefficients.
    func target(_ channel: Int, epilogue: ChannelEpilogue) -> filmsr_channel_target {
        let (bias, slope) = epilogue.coefficients(channel: channel)
        let r = shuffleFactor
        return filmsr_channel_target(
            plane: origin(channel), rowStride: r * r * width, columnStride: r, bias: bias, slope: slope,
            accumulate: epilogue.accumulates ? 1 : 0,
            addend: addend.map { $0 + channel / (r * r) * height * width }, addendRowStride: width)
    }
}
