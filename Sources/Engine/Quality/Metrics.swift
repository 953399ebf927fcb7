import Foundation

/// Image quality figures computed on tensors.
public enum Metrics {
    /// Peak signal-to-noise ratio in dB for values whose full range is `peak`; infinity when equal.
    public static func psnr(_ a: Tensor, _ b: Tensor, peak: Double = 1) -> Double {
        precondition(a.shape == b.shape, "psnr of \(a.shape) and \(b.shape)")
        var sum = 0.0
        for i in 0..<a.count {
            let difference = Double(a.data[i]) - Double(b.data[i])
            sum += difference * difference
        }
        let mse = sum / Double(a.count)
        return mse == 0 ? .infinity : 10 * log10(peak * peak / mse)
    }

    /// PSNR of each batch item on its own, averaged (what per-image tables report).
    public static func meanItemPSNR(_ a: Tensor, _ b: Tensor, peak: Double = 1) -> Double {
        precondition(a.shape == b.shape, "psnr of \(a.shape) and \(b.shape)")
        let values = (0..<a.shape.batch).map { psnr(a.item($0), b.item($0), peak: peak) }
        return values.reduce(0, +) / Double(values.count)
    }

    /// Structural similarity (Wang et al. 2004) of the BT.601 luma of two RGB pictures in [0, 1]
    /// (1 x 3 x H x W), as SR papers report it: 11x11 Gaussian window, sigma 1.5, K1 0.01,
    /// K2 0.03, over the positions where the window fits (no padding), averaged.
    public static func ssim(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.shape == b.shape && a.shape.batch == 1 && a.shape.channels == 3, "ssim of \(a.shape) and \(b.shape)")
        let height = a.shape.height, width = a.shape.width, radius = 5
        precondition(height > 2 * radius && width > 2 * radius, "ssim needs pictures larger than its 11x11 window")
        func luma(_ t: Tensor) -> [Double] {
            (0..<(height * width)).map { 0.299 * Double(t.plane(0, 0)[$0]) + 0.587 * Double(t.plane(0, 1)[$0]) + 0.114 * Double(t.plane(0, 2)[$0]) }
        }
        let x = luma(a), y = luma(b)
        var window = (-radius...radius).map { exp(-Double($0 * $0) / (2 * 1.5 * 1.5)) }
        let total = window.reduce(0, +)
        window = window.map { $0 / total }
        // Separable Gaussian filtering of x, y, x^2, y^2, xy: rows, then columns, valid region only.
        func filtered(_ values: [Double]) -> [Double] {
            let innerWidth = width - 2 * radius, innerHeight = height - 2 * radius
            var rows = [Double](repeating: 0, count: height * innerWidth)
            for row in 0..<height {
                for column in 0..<innerWidth {
                    var sum = 0.0
                    for k in 0...(2 * radius) { sum += window[k] * values[row * width + column + k] }
                    rows[row * innerWidth + column] = sum
                }
            }
            var result = [Double](repeating: 0, count: innerHeight * innerWidth)
            for row in 0..<innerHeight {
                for column in 0..<innerWidth {
                    var sum = 0.0
                    for k in 0...(2 * radius) { sum += window[k] * rows[(row + k) * innerWidth + column] }
                    result[row * innerWidth + column] = sum
                }
            }
            return result
        }
        let meanX = filtered(x), meanY = filtered(y)
        let xx = filtered(x.map { $0 * $0 }), yy = filtered(y.map { $0 * $0 }), xy = filtered(zip(x, y).map { $0 * $1 })
        let c1 = 0.01 * 0.01, c2 = 0.03 * 0.03
        var sum = 0.0
        for i in meanX.indices {
            let mx = meanX[i], my = meanY[i]
            let varianceX = xx[i] - mx * mx, varianceY = yy[i] - my * my, covariance = xy[i] - mx * my
            sum += ((2 * mx * my + c1) * (2 * covariance + c2)) / ((mx * mx + my * my + c1) * (varianceX + varianceY + c2))
        }
        return sum / Double(meanX.count)
    }
}
