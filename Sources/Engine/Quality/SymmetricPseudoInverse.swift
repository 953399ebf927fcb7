import Foundation

/// The Moore-Penrose pseudo-inverse of a symmetric matrix (float64, row-major), through its
/// eigen-decomposition by cyclic Jacobi rotations. As numpy.linalg.pinv (rcond 1e-15), the
/// directions whose |eigenvalue| (its singular value) is at most `relativeCutoff` times the
/// largest are dropped. For the small matrices of metrics (NIQE's 36x36), not for speed.
enum SymmetricPseudoInverse {
    static func of(_ matrix: [Double], size n: Int, relativeCutoff: Double = 1e-15) -> [Double] {
        precondition(matrix.count == n * n, "pseudo-inverse of \(matrix.count) values as \(n)x\(n)")
        var a = matrix
        var vectors = [Double](repeating: 0, count: n * n)
        for i in 0..<n { vectors[i * n + i] = 1 }
        for _ in 0..<100 {
            var offDiagonal = 0.0, diagonal = 0.0
            for i in 0..<n { for j in 0..<n { if i == j { diagonal += a[i * n + j] * a[i * n + j] } else { offDiagonal += a[i * n + j] * a[i * n + j] } } }
            if offDiagonal <= diagonal * 1e-32 || offDiagonal == 0 { break }
            for p in 0..<(n - 1) {
                for q in (p + 1)..<n {
                    let apq = a[p * n + q]
                    if apq == 0 { continue }
                    // The rotation that zeroes a[p][q] (Numerical Recipes, section 11.1).
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = abs(theta) > 1e150 ? 1 / (2 * theta) : (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let kp = a[k * n + p], kq = a[k * n + q]
                        a[k * n + p] = c * kp - s * kq
                        a[k * n + q] = s * kp + c * kq
                    }
                    for k in 0..<n {
                        let pk = a[p * n + k], qk = a[q * n + k]
                        a[p * n + k] = c * pk - s * qk
                        a[q * n + k] = s * pk + c * qk
                    }
                    for k in 0..<n {
                        let kp = vectors[k * n + p], kq = vectors[k * n + q]
                        vectors[k * n + p] = c * kp - s * kq
                        vectors[k * n + q] = s * kp + c * kq
                    }
                }
            }
        }
        let eigenvalues = (0..<n).map { a[$0 * n + $0] }
        let cutoff = relativeCutoff * (eigenvalues.map(abs).max() ?? 0)
        var inverse = [Double](repeating: 0, count: n * n)
        for k in 0..<n where abs(eigenvalues[k]) > cutoff {
            for i in 0..<n {
                let scaled = vectors[i * n + k] / eigenvalues[k]
                for j in 0..<n { inverse[i * n + j] += scaled * vectors[j * n + k] }
            }
        }
        return inverse
    }
}
