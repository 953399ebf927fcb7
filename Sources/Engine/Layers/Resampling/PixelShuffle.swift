/// Depth to space (PyTorch's pixel_shuffle, ncnn's PixelShuffle mode 0): channel
/// c * r * r + dy * r + dx of the input becomes channel c at offset (dy, dx) of each r x r block.
/// `inverse` is the reverse (pixel_unshuffle, space to depth).
public final class PixelShuffle: Layer {
    public let factor: Int
    public let inverse: Bool

    public init(factor: Int, inverse: Bool = false) {
        self.factor = factor
        self.inverse = inverse
    }

    public var kind: String { inverse ? "PixelUnshuffle" : "PixelShuffle" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let s = inputs[0], r = factor
        if inverse {
            guard s.height % r == 0 && s.width % r == 0 else { throw EngineError("\(s.height)x\(s.width) is not a multiple of \(r)") }
            return [Shape(s.batch, s.channels * r * r, s.height / r, s.width / r)]
        }
        guard s.channels % (r * r) == 0 else { throw EngineError("\(s.channels) channels are not a multiple of \(r * r)") }
        return [Shape(s.batch, s.channels / (r * r), s.height * r, s.width * r)]
    }

    /// Calls `body(small, large)` with matching element offsets in the low-resolution (many
    /// channels) and high-resolution (few channels) layouts.
    private func forEachPair(_ large: Shape, _ body: (Int, Int) -> Void) {
        let r = factor
        let smallHeight = large.height / r, smallWidth = large.width / r
        for n in 0..<large.batch {
            for c in 0..<large.channels {
                for dy in 0..<r {
                    for dx in 0..<r {
                        let smallPlane = ((n * large.channels + c) * r * r + dy * r + dx) * smallHeight * smallWidth
                        for y in 0..<smallHeight {
                            let largeRow = ((n * large.channels + c) * large.height + y * r + dy) * large.width + dx
                            let smallRow = smallPlane + y * smallWidth
                            for x in 0..<smallWidth { body(smallRow + x, largeRow + x * r) }
                        }
                    }
                }
            }
        }
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let x = inputs[0].data, y = outputs[0].data
        if inverse {
            forEachPair(inputs[0].shape) { small, large in y[small] = x[large] }
        } else {
            forEachPair(outputs[0].shape) { small, large in y[large] = x[small] }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let dx = inputGradients[0]?.data else { return }
        let dy = outputGradients[0].data
        if inverse {
            forEachPair(inputs[0].shape) { small, large in dx[large] += dy[small] }
        } else {
            forEachPair(outputs[0].shape) { small, large in dx[small] += dy[large] }
        }
    }
}
