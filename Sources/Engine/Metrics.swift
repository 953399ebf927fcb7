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
}
