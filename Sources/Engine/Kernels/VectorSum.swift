/// Sums of float runs in SIMD lanes: a plain `sum += x[i]` loop stays scalar, because the
/// compiler may not reorder float additions. The order here is fixed (16 lanes, then the lanes
/// and the tail in turn), so a sum is the same on every run.
enum VectorSum {
    /// x[0] + ... + x[count - 1].
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(x)
        var lanes = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            lanes += raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        var total = lanes.sum()
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// The sum of x[i] * y[i] over the i where x[i] is not positive (a PReLU slope's gradient).
    static func negativePartDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        let rawX = UnsafeRawPointer(x), rawY = UnsafeRawPointer(y)
        var lanes = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let a = rawX.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            let b = rawY.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            lanes += (a * b).replacing(with: 0, where: a .> 0)
            i += 16
        }
        var total = lanes.sum()
        while i < count {
            if !(x[i] > 0) { total += x[i] * y[i] }
            i += 1
        }
        return total
    }
}
