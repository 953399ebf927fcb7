/// Kernel size, stride, padding and dilation of a 2-D convolution, and what follows from them.
public struct ConvolutionGeometry: Equatable, Sendable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY = 1
    public var strideX = 1
    public var padTop = 0
    public var padLeft = 0
    public var padBottom = 0
    public var padRight = 0
    public var dilationY = 1
    public var dilationX = 1

    /// A square kernel with equal padding on every side.
    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        kernelHeight = kernel
        kernelWidth = kernel
        strideY = stride
        strideX = stride
        padTop = padding
        padLeft = padding
        padBottom = padding
        padRight = padding
        dilationY = dilation
        dilationX = dilation
    }

    public init(kernelHeight: Int, kernelWidth: Int) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
    }

    public func outputHeight(_ height: Int) -> Int {
        (height + padTop + padBottom - dilationY * (kernelHeight - 1) - 1) / strideY + 1
    }

    public func outputWidth(_ width: Int) -> Int {
        (width + padLeft + padRight - dilationX * (kernelWidth - 1) - 1) / strideX + 1
    }

    /// True when the convolution is a plain matrix product over the channels.
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1
            && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0
    }
}
