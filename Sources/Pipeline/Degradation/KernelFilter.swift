import Engine

/// Filters every channel of an image batch with one square kernel, mirroring the picture at its
/// borders without repeating the edge pixel (OpenCV's BORDER_REFLECT_101, which basicsr's
/// filter2D uses), so that blurred borders do not darken.
public enum KernelFilter {
    public static func apply(_ weights: [Float], size: Int, to image: Tensor) -> Tensor {
        precondition(weights.count == size * size && size % 2 == 1)
        let shape = image.shape, radius = size / 2
        let output = Tensor(shape)
        func mirror(_ i: Int, _ n: Int) -> Int {
            guard n > 1 else { return 0 }
            var i = i
            // Reflect until inside: ... 2 1 | 0 1 2 ... n-1 | n-2 ...
            while i < 0 || i >= n { i = i < 0 ? -i : 2 * (n - 1) - i }
            return i
        }
        let columns = (0..<(shape.width + 2 * radius)).map { mirror($0 - radius, shape.width) }
        let rows = (0..<(shape.height + 2 * radius)).map { mirror($0 - radius, shape.height) }
        for n in 0..<shape.batch {
            for c in 0..<shape.channels {
                let source = image.plane(n, c), target = output.plane(n, c)
                for y in 0..<shape.height {
                    for x in 0..<shape.width {
                        var sum: Float = 0
                        for ky in 0..<size {
                            let row = source + rows[y + ky] * shape.width
                            for kx in 0..<size { sum += weights[ky * size + kx] * row[columns[x + kx]] }
                        }
                        target[y * shape.width + x] = sum
                    }
                }
            }
        }
        return output
    }
}
