import Foundation

/// Resampling of feature maps to another size, separably, with PyTorch's conventions
/// (align_corners = false, border pixels repeated): nearest, bilinear, bicubic (a = -0.75),
/// and area (each output pixel the mean of the input it covers, fractions weighted: OpenCV's
/// INTER_AREA for shrinking, PyTorch's adaptive average pooling).
public final class Resize: Layer {
    public enum Method: Sendable { case nearest, bilinear, bicubic, area }

    public enum Size: Sendable {
        case scale(Double)
        case fixed(height: Int, width: Int)
    }

    public let method: Method
    public let size: Size
    private var scratch: Tensor?

    public init(_ method: Method, _ size: Size) {
        self.method = method
        self.size = size
    }

    public var kind: String { "Resize(\(method))" }

    /// `tensor` resampled to height x width, outside any graph.
    public static func apply(_ method: Method, to tensor: Tensor, height: Int, width: Int) -> Tensor {
        let output = Tensor(Shape(tensor.shape.batch, tensor.shape.channels, height, width))
        Resize(method, .fixed(height: height, width: width)).forward([tensor], [output])
        return output
    }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let s = inputs[0]
        switch size {
        case .scale(let factor):
            return [Shape(s.batch, s.channels, Int((Double(s.height) * factor).rounded(.down)), Int((Double(s.width) * factor).rounded(.down)))]
        case .fixed(let height, let width):
            return [Shape(s.batch, s.channels, height, width)]
        }
    }

    /// For every output coordinate, the input coordinates it reads and their weights.
    static func taps(_ method: Method, from input: Int, to output: Int) -> [[(index: Int, weight: Float)]] {
        let scale = Double(input) / Double(output)
        return (0..<output).map { o in
            switch method {
            case .nearest:
                return [(min(Int((Double(o) * scale).rounded(.down)), input - 1), 1)]
            case .bilinear:
                let source = max(0, (Double(o) + 0.5) * scale - 0.5)
                let i0 = min(Int(source), input - 1), i1 = min(i0 + 1, input - 1)
                let t = Float(source - Double(i0))
                return i0 == i1 ? [(i0, Float(1))] : [(i0, 1 - t), (i1, t)]
            case .area:
                // The input interval [o * scale, (o + 1) * scale), by overlap.
                let start = Double(o) * scale, end = Double(o + 1) * scale
                return (Int(start.rounded(.down))..<min(input, Int(end.rounded(.up)))).compactMap { i in
                    let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                    return overlap > 1e-12 ? (i, Float(overlap / scale)) : nil
                }
            case .bicubic:
                let source = (Double(o) + 0.5) * scale - 0.5
                let i = Int(source.rounded(.down))
                let t = source - Double(i)
                return (-1...2).map { offset in
                    (min(max(i + offset, 0), input - 1), Float(cubic(Double(offset) - t)))
                }
            }
        }
    }

    /// Keys' cubic convolution kernel with a = -0.75 (PyTorch's choice).
    static func cubic(_ x: Double) -> Double {
        let a = -0.75, x = abs(x)
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }

    private func scratchTensor(_ shape: Shape) -> Tensor {
        if let scratch, scratch.shape == shape { return scratch }
        let created = Tensor(shape)
        scratch = created
        return created
    }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        let input = inputs[0], output = outputs[0]
        let (h, w, oh, ow) = (input.shape.height, input.shape.width, output.shape.height, output.shape.width)
        let rows = Self.taps(method, from: h, to: oh), columns = Self.taps(method, from: w, to: ow)
        // Columns first (h x ow), then rows.
        let middle = scratchTensor(Shape(1, 1, h, ow)).data
        for n in 0..<input.shape.batch {
            for c in 0..<input.shape.channels {
                let x = input.plane(n, c), y = output.plane(n, c)
                for row in 0..<h {
                    for (o, taps) in columns.enumerated() {
                        var sum: Float = 0
                        for tap in taps { sum += tap.weight * x[row * w + tap.index] }
                        middle[row * ow + o] = sum
                    }
                }
                for (o, taps) in rows.enumerated() {
                    let target = y + o * ow
                    target.update(repeating: 0, count: ow)
                    for tap in taps {
                        let source = middle + tap.index * ow
                        for i in 0..<ow { target[i] += tap.weight * source[i] }
                    }
                }
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        guard let inputGradient = inputGradients[0] else { return }
        let (h, w, oh, ow) = (inputs[0].shape.height, inputs[0].shape.width, outputs[0].shape.height, outputs[0].shape.width)
        let rows = Self.taps(method, from: h, to: oh), columns = Self.taps(method, from: w, to: ow)
        let middle = scratchTensor(Shape(1, 1, h, ow)).data
        for n in 0..<inputs[0].shape.batch {
            for c in 0..<inputs[0].shape.channels {
                let dy = outputGradients[0].plane(n, c), dx = inputGradient.plane(n, c)
                middle.update(repeating: 0, count: h * ow)
                for (o, taps) in rows.enumerated() {
                    let source = dy + o * ow
                    for tap in taps {
                        let target = middle + tap.index * ow
                        for i in 0..<ow { target[i] += tap.weight * source[i] }
                    }
                }
                for row in 0..<h {
                    for (o, taps) in columns.enumerated() {
                        let g = middle[row * ow + o]
                        for tap in taps { dx[row * w + tap.index] += tap.weight * g }
                    }
                }
            }
        }
    }
}
