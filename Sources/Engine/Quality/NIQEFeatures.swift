import Foundation

/// A grey picture, row by row, as NIQE works on it (0-255 values in float32).
struct NIQEPlane {
    var width: Int, height: Int
    var values: [Float]

    func crop(x: Int, y: Int, width: Int, height: Int) -> NIQEPlane {
        var block = [Float]()
        block.reserveCapacity(width * height)
        for row in y..<(y + height) { block += values[(row * self.width + x)..<(row * self.width + x + width)] }
        return NIQEPlane(width: width, height: height, values: block)
    }
}

/// NIQE's statistics of natural scenes, as basicsr 1.4.2's niqe.py computes them. Its picture
/// and every block statistic are float32 numpy arrays (means by numpy's pairwise summation,
/// reproduced here so that the grid search below lands on the same point); the fitted shapes
/// and scales are float64.
enum NIQEFeatures {
    /// Mean-subtracted contrast-normalised coefficients (I - mu) / (sigma + 1), mu and sigma the
    /// local mean and deviation under `window` with borders repeated (scipy.ndimage.convolve,
    /// mode 'nearest': float64 sums, float32 results).
    static func mscn(_ plane: NIQEPlane, window: [Double]) -> NIQEPlane {
        let width = plane.width, height = plane.height, image = plane.values
        let squares = image.map { $0 * $0 }
        var result = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var mean = 0.0, meanSquare = 0.0
                for dy in -3...3 {
                    let row = min(max(y + dy, 0), height - 1) * width
                    for dx in -3...3 {
                        let i = row + min(max(x + dx, 0), width - 1), weight = window[(dy + 3) * 7 + dx + 3]
                        mean += weight * Double(image[i])
                        meanSquare += weight * Double(squares[i])
                    }
                }
                let mu = Float(mean)
                let sigma = abs(Float(meanSquare) - mu * mu).squareRoot()
                result[y * width + x] = (image[y * width + x] - mu) / (sigma + 1)
            }
        }
        return NIQEPlane(width: width, height: height, values: result)
    }

    /// The 18 features of one block: the GGD shape and scale of its coefficients, then for the
    /// products with the right, lower, lower-right and lower-left neighbours (np.roll: the block
    /// wraps around) the AGGD shape, mean, left and right scales.
    static func blockFeatures(_ block: NIQEPlane) -> [Double] {
        let width = block.width, height = block.height, values = block.values
        let fit = aggdParameters(values)
        var features = [fit.alpha, (fit.betaLeft + fit.betaRight) / 2]
        for (down, right) in [(0, 1), (1, 0), (1, 1), (1, -1)] {
            var products = [Float](repeating: 0, count: values.count)
            for y in 0..<height {
                let source = (y - down + height) % height
                for x in 0..<width { products[y * width + x] = values[y * width + x] * values[source * width + (x - right + width) % width] }
            }
            let pair = aggdParameters(products)
            let mean = (pair.betaRight - pair.betaLeft) * (tgamma(2 / pair.alpha) / tgamma(1 / pair.alpha))
            features += [pair.alpha, mean, pair.betaLeft, pair.betaRight]
        }
        return features
    }

    /// The shapes searched: np.arange(0.2, 10.001, 0.001), whose elements numpy computes as
    /// start + i * (second - start).
    static let shapes: [Double] = {
        let step = (0.2 + 0.001) - 0.2
        return [0.2, 0.2 + 0.001] + (2..<9801).map { 0.2 + Double($0) * step }
    }()

    /// Gamma(2/a)^2 / (Gamma(1/a) Gamma(3/a)) for every searched shape a.
    static let shapeRatios: [Double] = shapes.map { shape in
        let reciprocal = 1 / shape, numerator = tgamma(reciprocal * 2)
        return numerator * numerator / (tgamma(reciprocal) * tgamma(reciprocal * 3))
    }

    /// Asymmetric generalised Gaussian fit by moment matching over the grid of shapes (the
    /// first best, as np.argmin; a NaN ratio, from a block without negative or positive values,
    /// gives the first shape and NaN scales as in basicsr).
    static func aggdParameters(_ values: [Float]) -> (alpha: Double, betaLeft: Double, betaRight: Double) {
        let leftDeviation = mean(values.filter { $0 < 0 }.map { $0 * $0 }).squareRoot()
        let rightDeviation = mean(values.filter { $0 > 0 }.map { $0 * $0 }).squareRoot()
        let gammaHat = leftDeviation / rightDeviation
        let rHat = powf(mean(values.map { abs($0) }), 2) / mean(values.map { $0 * $0 })
        let rHatNormalised = (rHat * (powf(gammaHat, 3) + 1) * (gammaHat + 1)) / powf(powf(gammaHat, 2) + 1, 2)
        let target = Double(rHatNormalised)
        var best = 0, bestError = (shapeRatios[0] - target) * (shapeRatios[0] - target)
        for i in 1..<shapeRatios.count {
            let error = (shapeRatios[i] - target) * (shapeRatios[i] - target)
            if error < bestError { best = i; bestError = error }
        }
        let alpha = shapes[best]
        let scale = (tgamma(1 / alpha) / tgamma(3 / alpha)).squareRoot()
        return (alpha, Double(leftDeviation) * scale, Double(rightDeviation) * scale)
    }

    /// np.mean of a float32 array: pairwise sum in float32, divided by the count (NaN when empty).
    static func mean(_ values: [Float]) -> Float {
        values.withUnsafeBufferPointer { pairwiseSum($0, 0, $0.count) } / Float(values.count)
    }

    /// numpy's pairwise summation: up to 128 values with eight interleaved partial sums, longer
    /// runs split in two at a multiple of eight.
    static func pairwiseSum(_ values: UnsafeBufferPointer<Float>, _ start: Int, _ count: Int) -> Float {
        if count < 8 {
            var sum: Float = 0
            for i in start..<(start + count) { sum += values[i] }
            return sum
        }
        if count <= 128 {
            var partial = (0..<8).map { values[start + $0] }
            var i = 8
            while i < count - count % 8 {
                for lane in 0..<8 { partial[lane] += values[start + i + lane] }
                i += 8
            }
            var sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
            while i < count { sum += values[start + i]; i += 1 }
            return sum
        }
        let half = count / 2 - (count / 2) % 8
        return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half)
    }
}
