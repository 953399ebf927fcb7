import Engine
import Pipeline

/// Filters every channel of an image batch with one square kernel, mirroring the picture at its
/// borders without repeating the edge pixel (OpenCV's BORDER_REFLECT_101, which basicsr's
/// filter2D uses), so that blurred borders do not darken.
public enum KernelFilter {
    public static func apply(_ weights: [Float], size: Int, to image: Tensor) -> Tensor {
        precondition(weights.count == size * size && size % 2 == 1)
        let shape = image.shape, radius = size / 2
        let output = Tensor(shape)
        let columns = (0..<(shape.width + 2 * radius)).map { mirroredIndex($0 - radius, count: shape.width) }
        let rows = (0..<(shape.height + 2 * radius)).map { mirroredIndex($0 - radius, count: shape.height) }
        // Each plane is padded once; then every kernel tap adds a shifted row to the output row,
        // a contiguous multiply-add the compiler vectorises (Real-ESRGAN kernels reach 21x21).
        let paddedWidth = shape.width + 2 * radius
        var padded = [Float](repeating: 0, count: paddedWidth * (shape.height + 2 * radius))
        padded.withUnsafeMutableBufferPointer { padded in
            weights.withUnsafeBufferPointer { weights in
                for n in 0..<shape.batch {
                    for c in 0..<shape.channels {
                        let source = image.plane(n, c), target = output.plane(n, c)
                        for (y, row) in rows.enumerated() {
                            for (x, column) in columns.enumerated() { padded[y * paddedWidth + x] = source[row * shape.width + column] }
                        }
                        for y in 0..<shape.height {
                            let out = target + y * shape.width
                            out.update(repeating: 0, count: shape.width)
                            for ky in 0..<size {
                                let line = padded.baseAddress! + (y + ky) * paddedWidth
                                for kx in 0..<size {
                                    let weight = weights[ky * size + kx], shifted = line + kx
                                    for x in 0..<shape.width { out[x] += weight * shifted[x] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
