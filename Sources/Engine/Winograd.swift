import COpenBLAS

/// Winograd's minimal filtering F(2x2, 3x3) for 3x3, stride-1, undilated convolutions: each
/// 2x2 block of output comes from a 4x4 block of input through 16 products per channel pair
/// instead of 36, so the matrix products shrink 2.25x. With T blocks:
///   U[k] = (G g G^T)[k]        filters, (out x in) for each of the 16 positions k
///   V[k] = (B^T d B)[k]        input blocks, (in x T)
///   M[k] = U[k] V[k]           16 sgemms, (out x T)
///   y    = A^T M A             2x2 outputs per block
/// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
/// A^T = [1 1 1 0; 0 1 -1 -1] (Lavin and Gray, 2016). Used for the forward pass only; the
/// backward pass keeps the im2col path.
enum Winograd {
    static func applies(to geometry: ConvolutionGeometry) -> Bool {
        geometry.kernelHeight == 3 && geometry.kernelWidth == 3 && geometry.strideX == 1 && geometry.strideY == 1
            && geometry.dilationX == 1 && geometry.dilationY == 1
    }

    /// Transforms weights (out, in, 3, 3) into U: 16 matrices of out x in.
    static func transformFilters(_ weights: UnsafePointer<Float>, outputs: Int, inputs: Int, into u: UnsafeMutablePointer<Float>) {
        let stride = outputs * inputs
        let t = UnsafeMutablePointer<Float>.allocate(capacity: 12)
        defer { t.deallocate() }
        for o in 0..<outputs {
            for i in 0..<inputs {
                let g = weights + (o * inputs + i) * 9
                // t = G g (4 x 3), then t G^T (4 x 4).
                for c in 0..<3 {
                    let (g0, g1, g2) = (g[c], g[3 + c], g[6 + c])
                    t[c] = g0
                    t[3 + c] = 0.5 * (g0 + g1 + g2)
                    t[6 + c] = 0.5 * (g0 - g1 + g2)
                    t[9 + c] = g2
                }
                for r in 0..<4 {
                    let (a, b, c) = (t[r * 3], t[r * 3 + 1], t[r * 3 + 2])
                    let base = r * 4 * stride + o * inputs + i
                    u[base] = a
                    u[base + stride] = 0.5 * (a + b + c)
                    u[base + 2 * stride] = 0.5 * (a - b + c)
                    u[base + 3 * stride] = c
                }
            }
        }
    }

    /// Rows of 2x2 blocks per band: about 16 MB of transformed input and products.
    static func bandBlockRows(inputs: Int, outputs: Int, outputWidth: Int, outputHeight: Int) -> Int {
        let blocksX = (outputWidth + 1) / 2
        return max(1, min((outputHeight + 1) / 2, (4 << 20) / max(1, 16 * blocksX * (inputs + outputs))))
    }

    /// One band of block rows of one batch item. `u` from `transformFilters`; `workspace`
    /// needs 16 * blocks * (in + out) floats for the band's blocks.
    static func forward(_ source: UnsafePointer<Float>, channels inputs: Int, height: Int, width: Int,
                        geometry g: ConvolutionGeometry, u: UnsafePointer<Float>, outputs: Int, blockRows: Range<Int>,
                        workspace: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let outputHeight = g.outputHeight(height), outputWidth = g.outputWidth(width)
        let blocksX = (outputWidth + 1) / 2, blocks = blockRows.count * blocksX
        let v = workspace, m = workspace + 16 * inputs * blocks
        // Row scratch: 4 zero-padded input rows, then 4 half-transformed rows, each 2 * blocksX + 2 wide.
        let rowWidth = 2 * blocksX + 2
        let plane = inputs * blocks
        let workers = BLASRuntime.threadCount
        // Input transform, a block row at a time so that every loop runs along x (vectorisable);
        // channels are split between threads.
        ParallelLoop.chunks(inputs, workers: workers) { channels in
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: 8 * rowWidth)
        defer { rows.deallocate() }
        let padded = rows, half = rows + 4 * rowWidth
        for i in channels {
            let channel = source + i * height * width
            for by in blockRows {
                let y0 = 2 * by - g.padTop, x0 = -g.padLeft
                for r in 0..<4 {
                    let row = padded + r * rowWidth
                    row.update(repeating: 0, count: rowWidth)
                    let y = y0 + r
                    guard y >= 0 && y < height else { continue }
                    let first = max(0, -x0), last = min(rowWidth, width - x0)
                    if first < last { (row + first).update(from: channel + y * width + x0 + first, count: last - first) }
                }
                // B^T d: combine rows.
                let (d0, d1, d2, d3) = (padded, padded + rowWidth, padded + 2 * rowWidth, padded + 3 * rowWidth)
                let (t0, t1, t2, t3) = (half, half + rowWidth, half + 2 * rowWidth, half + 3 * rowWidth)
                for x in 0..<rowWidth {
                    t0[x] = d0[x] - d2[x]
                    t1[x] = d1[x] + d2[x]
                    t2[x] = d2[x] - d1[x]
                    t3[x] = d1[x] - d3[x]
                }
                // (.) B: combine columns 2bx .. 2bx + 3 of each half-transformed row.
                let base = i * blocks + (by - blockRows.lowerBound) * blocksX
                for r in 0..<4 {
                    let t = half + r * rowWidth
                    let (k0, k1, k2, k3) = (v + (r * 4) * plane + base, v + (r * 4 + 1) * plane + base,
                                            v + (r * 4 + 2) * plane + base, v + (r * 4 + 3) * plane + base)
                    for bx in 0..<blocksX {
                        let (a, b, c, e) = (t[2 * bx], t[2 * bx + 1], t[2 * bx + 2], t[2 * bx + 3])
                        k0[bx] = a - c
                        k1[bx] = b + c
                        k2[bx] = c - b
                        k3[bx] = b - e
                    }
                }
            }
        }
        }
        for k in 0..<16 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(blocks), Int32(inputs),
                        1, u + k * outputs * inputs, Int32(inputs), v + k * plane, Int32(blocks),
                        0, m + k * outputs * blocks, Int32(blocks))
        }
        // Output transform y = A^T M A, a block row at a time, clipped at odd output sizes.
        let products = outputs * blocks
        ParallelLoop.chunks(outputs, workers: workers) { channels in
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: 8 * rowWidth)
        defer { rows.deallocate() }
        let top = rows, bottom = rows + 4 * rowWidth  // A^T M rows 0 and 1, per k column
        for o in channels {
            let channel = target + o * outputHeight * outputWidth
            for by in blockRows {
                let base = o * blocks + (by - blockRows.lowerBound) * blocksX
                for c in 0..<4 {
                    let (s0, s1, s2, s3) = (m + c * products + base, m + (4 + c) * products + base,
                                            m + (8 + c) * products + base, m + (12 + c) * products + base)
                    let (p, q) = (top + c * rowWidth, bottom + c * rowWidth)
                    for bx in 0..<blocksX {
                        p[bx] = s0[bx] + s1[bx] + s2[bx]
                        q[bx] = s1[bx] - s2[bx] - s3[bx]
                    }
                }
                for (r, t) in [(0, top), (1, bottom)] {
                    let y = 2 * by + r
                    guard y < outputHeight else { continue }
                    let line = channel + y * outputWidth
                    let (a, b, c, e) = (t, t + rowWidth, t + 2 * rowWidth, t + 3 * rowWidth)
                    let pairs = outputWidth / 2
                    for bx in 0..<pairs {
                        line[2 * bx] = a[bx] + b[bx] + c[bx]
                        line[2 * bx + 1] = b[bx] - c[bx] - e[bx]
                    }
                    if outputWidth % 2 == 1 { line[2 * pairs] = a[pairs] + b[pairs] + c[pairs] }
                }
            }
        }
        }
    }
}
