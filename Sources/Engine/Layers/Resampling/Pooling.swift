/// k x k pooling with a stride and no padding (windows that would cross the border are
/// dropped, as PyTorch does by default): average, or max (AlexNet, for LPIPS).
public final class Pooling: Layer {
    public enum Kind: Sendable { case average, max }

    public let method: Kind
    public let kernel: Int
    public let stride: Int

    public init(_ method: Kind, kernel: Int, stride: Int? = nil) {
        self.method = method
        self.kernel = kernel
        self.stride = stride ?? kernel
    }

    public var kind: String { method == .average ? "AveragePool" : "MaxPool" }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let s = inputs[0]
        guard s.height >= kernel && s.width >= kernel else { throw EngineError("input \(s.height)x\(s.width) is smaller than the \(kernel)x\(kernel) window") }
        return [Shape(s.batch, s.channels, (s.height - kernel) / stride + 1, (s.width - kernel) / stride + 1)]
    }

    /// Calls `body(outputIndex, inputIndices)` for every window of one plane.
    private func forEachWindow(_ input: Shape, _ output: Shape, _ body: (Int, [Int]) -> Void) {
        var window = [Int](repeating: 0, count: kernel * kernel)
        for y in 0..<output.height {
            for x in 0..<output.width {
                for ky in 0..<kernel {
                    for kx in 0..<kernel { window[ky * kernel + kx] = (y * stride + ky) * input.width + x * stride + kx }
                }
                body(y * output.width + x, window)
            }
        }
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0], output = outputs[0]
        for n in 0..<input.shape.batch {
            for c in 0..<input.shape.channels {
                let x = input.plane(n, c), y = output.plane(n, c)
                forEachWindow(input.shape, output.shape) { o, window in
                    switch method {
                    case .average: y[o] = window.reduce(0) { $0 + x[$1] } / Float(window.count)
                    case .max: y[o] = window.reduce(-Float.infinity) { Swift.max($0, x[$1]) }
                    }
                }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let input = inputs[0], output = outputs[0]
        for n in 0..<input.shape.batch {
            for c in 0..<input.shape.channels {
                let x = input.plane(n, c), dy = outputGradients[0].plane(n, c), dx = inputGradient.plane(n, c)
                let y = output.plane(n, c)
                forEachWindow(input.shape, output.shape) { o, window in
                    switch method {
                    case .average:
                        for i in window { dx[i] += dy[o] / Float(window.count) }
                    case .max:
                        // The gradient goes to the first maximum, as PyTorch does.
                        if let winner = window.first(where: { x[$0] == y[o] }) { dx[winner] += dy[o] }
                    }
                }
            }
        }
    }
}
