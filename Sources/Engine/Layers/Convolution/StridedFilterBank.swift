/// A fixed bank of separable filters, each applied with a stride: y_k = (x * (f_k (x) f_k))
/// sampled every `stride` pixels, for every channel. Output (n, K c, H / stride, W / stride),
/// filter k's result in channels k c ..< (k + 1) c. Output pixel i reads input rows
/// stride i + origin + u for u in 0 ..< length, the picture mirrored at its borders without
/// repeating the edge pixel (BORDER_REFLECT_101, as the degradation synthesis blurs), so a
/// blur-then-shrink degradation is reproduced exactly to the last row. No weights: what is
/// learned is how to mix the bank (ItemMix).
public final class StridedFilterBank: Layer {
    public let filters: [[Float]]
    public let origin: Int
    public let stride: Int

    public init(filters: [[Float]], origin: Int, stride: Int) {
        precondition(!filters.isEmpty && stride >= 1, "a filter bank needs filters and a positive stride")
        precondition(filters.allSatisfy { $0.count == filters[0].count }, "the bank's filters share one length")
        self.filters = filters
        self.origin = origin
        self.stride = stride
    }

    public var kind: String { "StridedFilterBank" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let s = inputs[0]
        guard inputs.count == 1, s.height % stride == 0, s.width % stride == 0, s.height > 1, s.width > 1 else {
            throw EngineError("StridedFilterBank needs one input whose sides are multiples of \(stride), got \(inputs)")
        }
        return [Shape(s.batch, s.channels * filters.count, s.height / stride, s.width / stride)]
    }

    /// For each output position, the mirrored input positions its taps read.
    private func taps(outputs: Int, inputs: Int) -> [Int] {
        let length = filters[0].count
        return (0..<(outputs * length)).map { mirroredIndex(stride * ($0 / length) + origin + $0 % length, count: inputs) }
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let x = inputs[0].shape, y = outputs[0].shape, length = filters[0].count
        let rows = taps(outputs: y.height, inputs: x.height), columns = taps(outputs: y.width, inputs: x.width)
        // One filtered row at a time, through a pointer so the row loops vectorise.
        let rowPass = UnsafeMutablePointer<Float>.allocate(capacity: x.width)
        defer { rowPass.deallocate() }
        for n in 0..<x.batch {
            for (k, filter) in filters.enumerated() {
                for c in 0..<x.channels {
                    let source = inputs[0].plane(n, c), target = outputs[0].plane(n, k * x.channels + c)
                    // Rows first (whole input rows, a vectorised multiply-add), then columns.
                    for i in 0..<y.height {
                        rowPass.update(repeating: 0, count: x.width)
                        for u in 0..<length {
                            let weight = filter[u], row = source + rows[i * length + u] * x.width
                            for j in 0..<x.width { rowPass[j] += weight * row[j] }
                        }
                        for j in 0..<y.width {
                            var sum: Float = 0
                            for v in 0..<length { sum += filter[v] * rowPass[columns[j * length + v]] }
                            target[i * y.width + j] = sum
                        }
                    }
                }
            }
        }
    }

    /// The adjoint: every output gradient goes back to the taps that made that output.
    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let x = inputs[0].shape, y = outputs[0].shape, length = filters[0].count
        let rows = taps(outputs: y.height, inputs: x.height), columns = taps(outputs: y.width, inputs: x.width)
        // One filtered row at a time, through a pointer so the row loops vectorise.
        let rowPass = UnsafeMutablePointer<Float>.allocate(capacity: x.width)
        defer { rowPass.deallocate() }
        for n in 0..<x.batch {
            for (k, filter) in filters.enumerated() {
                for c in 0..<x.channels {
                    let incoming = outputGradients[0].plane(n, k * x.channels + c), target = inputGradient.plane(n, c)
                    for i in 0..<y.height {
                        rowPass.update(repeating: 0, count: x.width)
                        for j in 0..<y.width {
                            let g = incoming[i * y.width + j]
                            for v in 0..<length { rowPass[columns[j * length + v]] += filter[v] * g }
                        }
                        for u in 0..<length {
                            let weight = filter[u], row = target + rows[i * length + u] * x.width
                            for j in 0..<x.width { row[j] += weight * rowPass[j] }
                        }
                    }
                }
            }
        }
    }
}
