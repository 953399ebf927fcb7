import Foundation

/// MATLAB's imresize with the bicubic kernel (a = -0.5) and antialiasing, as basicsr 1.4.2's
/// matlab_functions.imresize implements it (float32 weights and values, borders mirrored with
/// the edge pixel repeated): the shrink that NIQE and SR benchmarks are defined with. It
/// differs from `Resize`'s bicubic (PyTorch's a = -0.75, no antialiasing).
enum MatlabResize {
    /// A grey plane shrunk by `scale` (< 1) to ceil(size * scale), rows first, then columns.
    static func shrink(_ values: [Float], width: Int, height: Int, scale: Double) -> (width: Int, height: Int, values: [Float]) {
        precondition(scale > 0 && scale < 1, "MatlabResize.shrink needs a scale below 1")
        let outHeight = Int((Double(height) * scale).rounded(.up)), outWidth = Int((Double(width) * scale).rounded(.up))
        let rowTaps = taps(from: height, to: outHeight, scale: scale), columnTaps = taps(from: width, to: outWidth, scale: scale)
        var rows = [Float](repeating: 0, count: outHeight * width)
        for y in 0..<outHeight {
            for x in 0..<width {
                var sum = 0.0
                for tap in rowTaps[y] { sum += Double(tap.weight) * Double(values[tap.index * width + x]) }
                rows[y * width + x] = Float(sum)
            }
        }
        var result = [Float](repeating: 0, count: outHeight * outWidth)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                var sum = 0.0
                for tap in columnTaps[x] { sum += Double(tap.weight) * Double(rows[y * width + tap.index]) }
                result[y * outWidth + x] = Float(sum)
            }
        }
        return (outWidth, outHeight, result)
    }

    /// basicsr's calculate_weights_indices: for each output position the input positions it
    /// reads (mirrored into range) and their normalised weights.
    static func taps(from input: Int, to output: Int, scale: Double) -> [[(index: Int, weight: Float)]] {
        let kernelWidth = 4 / scale  // the kernel is widened by 1 / scale to antialias
        let count = Int(kernelWidth.rounded(.up)) + 2
        var lefts = [Int](), weights = [[Float]]()
        for x in 1...output {
            let centre = Float(x) / Float(scale) + Float(0.5 * (1 - 1 / scale))
            let left = Int((centre - Float(kernelWidth / 2)).rounded(.down))
            let row = (0..<count).map { Float(scale) * cubic((centre - Float(left + $0)) * Float(scale)) }
            var total: Float = 0
            for weight in row { total += weight }
            lefts.append(left)
            weights.append(row.map { $0 / total })
        }
        // basicsr keeps columns 1...count-2 when any weight of the first column is zero, else
        // 0...count-3 when any of the last is (torch narrow calls, reproduced as they are).
        var first = 0, length = count
        if weights.contains(where: { $0[0] == 0 }) {
            first = 1; length = count - 2
        } else if weights.contains(where: { $0[count - 1] == 0 }) {
            length = count - 2
        }
        return (0..<output).map { o in
            (first..<(first + length)).map { k in
                // 1-based MATLAB positions outside 1...input are mirrored, the edge repeated.
                var position = lefts[o] + k - 1
                if position < 0 { position = -position - 1 }
                if position >= input { position = 2 * input - 1 - position }
                return (position, weights[o][k])
            }
        }
    }

    /// Keys' cubic convolution kernel with a = -0.5 (MATLAB's), in float32 as torch computes it.
    static func cubic(_ x: Float) -> Float {
        let a = abs(x), a2 = a * a, a3 = a2 * a
        if a <= 1 { return 1.5 * a3 - 2.5 * a2 + 1 }
        if a <= 2 { return -0.5 * a3 + 2.5 * a2 - 4 * a + 2 }
        return 0
    }
}
