/// The shape of a batch of feature maps: batch, channels, height, width (NCHW).
public struct Shape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(_ batch: Int, _ channels: Int, _ height: Int, _ width: Int) {
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
    }

    public var count: Int { batch * channels * height * width }
    public var planeSize: Int { height * width }
    /// Values in one batch item.
    public var itemSize: Int { channels * height * width }
    public var description: String { "\(batch)x\(channels)x\(height)x\(width)" }
    public var dimensions: [Int] { [batch, channels, height, width] }
}

/// Float32 values in NCHW order, contiguous, 64-byte aligned. A reference type: layers write
/// into tensors they are handed, and buffers are reused rather than reallocated.
public final class Tensor: @unchecked Sendable {
    public let shape: Shape
    public let data: UnsafeMutablePointer<Float>

    /// A tensor of zeros.
    public init(_ shape: Shape) {
        precondition(shape.count >= 0, "negative tensor shape \(shape)")
        self.shape = shape
        let bytes = max(shape.count, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: Float.self, repeating: 0, count: max(shape.count, 1))
        data = raw.assumingMemoryBound(to: Float.self)
    }

    public convenience init(_ shape: Shape, values: [Float]) {
        precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
        self.init(shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: values.count) }
    }

    public convenience init(_ batch: Int, _ channels: Int, _ height: Int, _ width: Int) {
        self.init(Shape(batch, channels, height, width))
    }

    /// A batch made of equally shaped tensors, one after the other.
    public convenience init(stacking items: [Tensor]) {
        precondition(!items.isEmpty && items.allSatisfy { $0.shape == items[0].shape }, "stacking needs tensors of one shape")
        let item = items[0].shape
        self.init(Shape(item.batch * items.count, item.channels, item.height, item.width))
        for (index, tensor) in items.enumerated() { (data + index * tensor.count).update(from: tensor.data, count: tensor.count) }
    }

    /// A copy of batch item `index` alone.
    public func item(_ index: Int) -> Tensor {
        let result = Tensor(Shape(1, shape.channels, shape.height, shape.width))
        result.data.update(from: data + index * shape.itemSize, count: shape.itemSize)
        return result
    }

    /// A copy of channels `channels` of batch item `index` alone: one of the candidates a
    /// layer stacks along the channels (StridedFilterBank's operators).
    public func item(_ index: Int, channels: Range<Int>) -> Tensor {
        precondition(channels.lowerBound >= 0 && channels.upperBound <= shape.channels, "channels \(channels) outside \(shape)")
        let plane = shape.height * shape.width
        let result = Tensor(Shape(1, channels.count, shape.height, shape.width))
        result.data.update(from: data + index * shape.itemSize + channels.lowerBound * plane, count: channels.count * plane)
        return result
    }

    /// A copy of the height x width window at (top, left) of every item and channel.
    public func crop(top: Int, left: Int, height: Int, width: Int) -> Tensor {
        precondition(top >= 0 && left >= 0 && top + height <= shape.height && left + width <= shape.width, "crop outside \(shape)")
        let result = Tensor(Shape(shape.batch, shape.channels, height, width))
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let source = plane(n, c) + top * shape.width + left, target = result.plane(n, c)
                for y in 0..<height { (target + y * width).update(from: source + y * shape.width, count: width) }
            }
        }
        return result
    }

    deinit { UnsafeMutableRawPointer(data).deallocate() }

    public var count: Int { shape.count }
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }
    public var values: [Float] { Array(buffer) }

    /// Start of batch item `n`, channel `c`.
    public func plane(_ n: Int, _ c: Int) -> UnsafeMutablePointer<Float> {
        data + (n * shape.channels + c) * shape.planeSize
    }

    public subscript(n: Int, c: Int, y: Int, x: Int) -> Float {
        get { data[((n * shape.channels + c) * shape.height + y) * shape.width + x] }
        set { data[((n * shape.channels + c) * shape.height + y) * shape.width + x] = newValue }
    }

    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Clamps every value to [lower, upper] (NaN becomes `lower`).
    public func clamp(_ lower: Float = 0, _ upper: Float = 1) {
        for i in 0..<count { data[i] = data[i] > lower ? min(data[i], upper) : lower }
    }

    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy of \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    public func copy() -> Tensor {
        let result = Tensor(shape)
        result.copy(from: self)
        return result
    }

    /// self += scale * other
    public func add(_ other: Tensor, scale: Float = 1) {
        precondition(other.count == count, "add of \(other.shape) to \(shape)")
        let a = data, b = other.data
        for i in 0..<count { a[i] += scale * b[i] }
    }
}
