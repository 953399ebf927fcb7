/// Parametric ReLU with one learned slope per channel: max(x, 0) + slope[c] * min(x, 0).
public final class PReLU: Layer {
    public let slope: Parameter

    public init(name: String = "prelu", channels: Int, initialSlope: Float = 0.25) {
        slope = Parameter(name: name + ".weight", Tensor(Shape(1, channels, 1, 1)))
        slope.value.fill(initialSlope)
    }

    public var kind: String { "PReLU" }
    public var parameters: [Parameter] { [slope] }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        guard inputs[0].channels == slope.shape.channels else {
            throw EngineError("has \(slope.shape.channels) slopes for \(inputs[0].channels) channels")
        }
        return [inputs[0]]
    }

    /// Threads for a pass over `shape`: the passes run between convolutions that use every
    /// core, and left on one thread they were a tenth of a 2-thread training step (Amdahl).
    private func workers(_ shape: Shape) -> Int { shape.count >= 1 << 16 ? BLASRuntime.threadCount : 1 }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let shape = inputs[0].shape
        ParallelLoop.chunks(shape.batch * shape.channels, workers: workers(shape)) { planes in
            for index in planes {
                let c = index % shape.channels
                let x = inputs[0].data + index * shape.planeSize, y = outputs[0].data + index * shape.planeSize
                let a = slope.value.data[c]
                for i in 0..<shape.planeSize { y[i] = x[i] > 0 ? x[i] : a * x[i] }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let shape = inputs[0].shape
        // Split by channel: each slope's gradient is summed over the items in order, on one thread.
        ParallelLoop.chunks(shape.channels, workers: workers(shape)) { channels in
            for c in channels {
                for n in 0..<shape.batch {
                    let x = inputs[0].plane(n, c), dy = outputGradients[0].plane(n, c), a = slope.value.data[c]
                    if slope.isTrainable {
                        // In SIMD lanes: as a scalar running sum this loop was a tenth of a compact-x4 training step (perf).
                        slope.gradient.data[c] += VectorSum.negativePartDot(x, dy, count: shape.planeSize)
                    }
                    if let dx = inputGradients[0]?.plane(n, c) {
                        for i in 0..<shape.planeSize { dx[i] += x[i] > 0 ? dy[i] : a * dy[i] }
                    }
                }
            }
        }
    }
}
