import COpenBLAS

/// Winograd's minimal filtering F(4x4, 3x3) for 3x3, stride-1, undilated convolutions: each
/// 4x4 block of output comes from a 6x6 block of input through 36 products per channel pair
/// instead of 144, so the matrix products shrink 4x. With T blocks:
///   U[k] = (G g G^T)[k]        filters, (out x in) for each of the 36 positions k
///   V[k] = (B^T d B)[k]        input blocks, (in x T)
///   M[k] = U[k] V[k]           36 sgemms, (out x T)
///   y    = A^T M A             4x4 outputs per block
/// with the interpolation points 0, 1, -1, 2, -2 and infinity (Lavin and Gray, 2016):
///   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
///   G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
///   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
/// The backward pass uses the same algebra (WinogradGradient.swift).
enum Winograd {
    /// Output block side, and positions (products) per block.
    static let outputBlock = 4, positions = 36

    static func applies(to geometry: ConvolutionGeometry) -> Bool {
        geometry.kernelHeight == 3 && geometry.kernelWidth == 3 && geometry.strideX == 1 && geometry.strideY == 1
            && geometry.dilationX == 1 && geometry.dilationY == 1
    }

    /// Transforms weights (out, in, 3, 3) into U: 36 matrices of out x in.
    static func transformFilters(_ weights: UnsafePointer<Float>, outputs: Int, inputs: Int, into u: UnsafeMutablePointer<Float>) {
        let stride = outputs * inputs
        // G's rows applied to (a, b, c): multiplications, not divisions, by 1/6, 1/12 and 1/24.
        @inline(__always) func rows(_ a: Float, _ b: Float, _ c: Float) -> (Float, Float, Float, Float, Float, Float) {
            let sixth: Float = 1.0 / 6, twelfth: Float = 1.0 / 12, twentyFourth: Float = 1.0 / 24
            let outer = a + c
            return (0.25 * a, -sixth * (outer + b), -sixth * (outer - b),
                    twentyFourth * a + twelfth * b + sixth * c, twentyFourth * a - twelfth * b + sixth * c, c)
        }
        ParallelLoop.chunks(outputs, workers: BLASRuntime.threadCount) { range in
        // One output channel's 36 rows gathered here first: U's planes lie a multiple of 4 KB
        // apart, and writing all 36 at once evicts itself from the L1 cache.
        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: positions * inputs)
        defer { gathered.deallocate() }
        for o in range {
            for i in 0..<inputs {
                let g = weights + (o * inputs + i) * 9
                // t = G g (6 x 3) column by column, then each row of t times G^T.
                let c0 = rows(g[0], g[3], g[6]), c1 = rows(g[1], g[4], g[7]), c2 = rows(g[2], g[5], g[8])
                @inline(__always) func store(_ r: Int, _ a: Float, _ b: Float, _ c: Float) {
                    let position = gathered + r * 6 * inputs + i
                    let t = rows(a, b, c)
                    position[0] = t.0
                    position[inputs] = t.1
                    position[2 * inputs] = t.2
                    position[3 * inputs] = t.3
                    position[4 * inputs] = t.4
                    position[5 * inputs] = t.5
                }
                store(0, c0.0, c1.0, c2.0)
                store(1, c0.1, c1.1, c2.1)
                store(2, c0.2, c1.2, c2.2)
                store(3, c0.3, c1.3, c2.3)
                store(4, c0.4, c1.4, c2.4)
                store(5, c0.5, c1.5, c2.5)
            }
            for k in 0..<positions { (u + k * stride + o * inputs).update(from: gathered + k * inputs, count: inputs) }
        }
        }
    }

    /// Block rows per band: the band's transformed input and products (V and M) kept near
    /// `bandBytes`, so that they stay in the core's cache; with several workers, at least two
    /// bands each, so that one slowed down hands work to the others.
    static func bandBlockRows(inputs: Int, outputs: Int, blocksAcross: Int, blocksDown: Int, workers: Int) -> Int {
        var rows = max(1, min(blocksDown, bandBytes / (4 * workspaceSize(blocks: blocksAcross, inputs: inputs, outputs: outputs))))
        if workers > 1 { rows = min(rows, max(1, blocksDown / (2 * workers))) }
        // Even bands: the last one is not left with a sliver.
        let bands = (blocksDown + rows - 1) / rows
        return (blocksDown + bands - 1) / bands
    }

    /// The share of a core's 2 MB L2 cache a band may fill (1-4 MB measured alike).
    static let bandBytes = 2 << 20

    /// Blocks across one output row of blocks.
    static func blocksAcross(outputWidth: Int) -> Int { (outputWidth + outputBlock - 1) / outputBlock }

    /// Floats of workspace a band of `blocks` blocks needs (V, then M).
    static func workspaceSize(blocks: Int, inputs: Int, outputs: Int) -> Int { positions * blocks * (inputs + outputs) }

    /// One band of block rows of one batch item, on the calling thread (its sgemms included).
    /// `u` from `transformFilters`; `workspace` holds `workspaceSize` floats for the band.
    /// `planes` holds each input channel's plane (height x width), so that channels may come
    /// from several tensors (an absorbed Concat).
    static func forward(planes: [UnsafePointer<Float>], height: Int, width: Int,
                        geometry g: ConvolutionGeometry, u: UnsafePointer<Float>, outputs: Int, blockRows: Range<Int>,
                        epilogue: ChannelEpilogue, workspace: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let inputs = planes.count
        let outputHeight = g.outputHeight(height), outputWidth = g.outputWidth(width)
        let blocksX = blocksAcross(outputWidth: outputWidth), blocks = blockRows.count * blocksX
        let v = workspace, m = workspace + positions * inputs * blocks
        // Row scratch: for the input transform, then for the output transform A^T M (4 rows x 6
        // columns, each blocksX wide) and one output row.
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(inputScratchSize(width: width, blocksAcross: blocksX), 28 * blocksX))
        defer { scratch.deallocate() }
        let plane = inputs * blocks
        for i in 0..<inputs {
            transformInput(planes[i], height: height, width: width, geometry: g, blockRows: blockRows, blocksAcross: blocksX,
                           into: v + i * blocks, positionStride: plane, scratch: scratch)
        }
        for k in 0..<positions {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(blocks), Int32(inputs),
                        1, u + k * outputs * inputs, Int32(inputs), v + k * plane, Int32(blocks),
                        0, m + k * outputs * blocks, Int32(blocks))
        }
        // Output transform y = A^T M A, a block row at a time, then the epilogue on the way out.
        let products = outputs * blocks
        let half = scratch, line = half + 24 * blocksX
        for o in 0..<outputs {
            let channel = target + o * outputHeight * outputWidth
            for by in blockRows {
                let base = o * blocks + (by - blockRows.lowerBound) * blocksX
                for c in 0..<6 {
                    let s = m + c * products + base
                    let (s0, s1, s2, s3, s4, s5) = (s, s + 6 * products, s + 12 * products, s + 18 * products, s + 24 * products, s + 30 * products)
                    let (p0, p1, p2, p3) = (half + c * blocksX, half + (6 + c) * blocksX, half + (12 + c) * blocksX, half + (18 + c) * blocksX)
                    for bx in 0..<blocksX {
                        let (a, b, e, f) = (s1[bx], s2[bx], s3[bx], s4[bx])
                        p0[bx] = s0[bx] + a + b + e + f
                        p1[bx] = a - b + 2 * (e - f)
                        p2[bx] = a + b + 4 * (e + f)
                        p3[bx] = a - b + 8 * (e - f) + s5[bx]
                    }
                }
                for r in 0..<min(4, outputHeight - 4 * by) {
                    let h = half + 6 * r * blocksX
                    let (q0, q1, q2, q3, q4, q5) = (h, h + blocksX, h + 2 * blocksX, h + 3 * blocksX, h + 4 * blocksX, h + 5 * blocksX)
                    for bx in 0..<blocksX {
                        let (a, b, e, f) = (q1[bx], q2[bx], q3[bx], q4[bx])
                        let out = line + 4 * bx
                        out[0] = q0[bx] + a + b + e + f
                        out[1] = a - b + 2 * (e - f)
                        out[2] = a + b + 4 * (e + f)
                        out[3] = a - b + 8 * (e - f) + q5[bx]
                    }
                    epilogue.store(line, to: channel + (4 * by + r) * outputWidth, count: outputWidth, channel: o)
                }
            }
        }
    }

    /// Floats of scratch `transformInput` needs: 6 half-transformed rows, each 4 * blocksX + 2
    /// wide (padded coordinates), and a row of zeros for rows above and below the picture.
    static func inputScratchSize(width: Int, blocksAcross: Int) -> Int { 6 * (4 * blocksAcross + 2) + width }

    /// V = B^T d B for the blocks of `blockRows` of one channel plane: position k's block
    /// (by, bx) goes to v[k * positionStride + (by - blockRows.lowerBound) * blocksAcross + bx].
    /// `scratch` holds `inputScratchSize` floats.
    static func transformInput(_ channel: UnsafePointer<Float>, height: Int, width: Int, geometry g: ConvolutionGeometry,
                               blockRows: Range<Int>, blocksAcross blocksX: Int, into v: UnsafeMutablePointer<Float>,
                               positionStride plane: Int, scratch: UnsafeMutablePointer<Float>) {
        let rowWidth = 4 * blocksX + 2
        let zeros = scratch + 6 * rowWidth
        zeros.update(repeating: 0, count: width)
        // Padded column x reads input column x + x0; columns outside first..<last are padding.
        let x0 = -g.padLeft, first = min(rowWidth, max(0, -x0)), last = max(first, min(rowWidth, width - x0))
        // A block row at a time, so that the row pass runs along x (vectorised).
        for by in blockRows {
            let t = scratch
            let y0 = 4 * by - g.padTop
            func row(_ r: Int) -> UnsafePointer<Float> {
                let y = y0 + r
                return (y >= 0 && y < height ? channel + y * width : UnsafePointer(zeros)) + x0
            }
            // B^T d: combine rows, straight from the input.
            let (d0, d1, d2, d3, d4, d5) = (row(0), row(1), row(2), row(3), row(4), row(5))
            let (t0, t1, t2, t3, t4, t5) = (t, t + rowWidth, t + 2 * rowWidth, t + 3 * rowWidth, t + 4 * rowWidth, t + 5 * rowWidth)
            for x in first..<last {
                let (a, b, c, e) = (d1[x], d2[x], d3[x], d4[x])
                t0[x] = 4 * d0[x] - 5 * b + e
                t1[x] = -4 * (a + b) + c + e
                t2[x] = 4 * (a - b) - c + e
                t3[x] = 2 * (c - a) + e - b
                t4[x] = 2 * (a - c) + e - b
                t5[x] = 4 * a - 5 * c + d5[x]
            }
            if first > 0 || last < rowWidth {
                for r in 0..<6 {
                    (t + r * rowWidth).update(repeating: 0, count: first)
                    (t + r * rowWidth + last).update(repeating: 0, count: rowWidth - last)
                }
            }
            // (.) B: combine columns 4bx .. 4bx + 5 of each half-transformed row.
            let base = (by - blockRows.lowerBound) * blocksX
            for r in 0..<6 {
                let s = t + r * rowWidth
                let k = v + r * 6 * plane + base
                let (k0, k1, k2, k3, k4, k5) = (k, k + plane, k + 2 * plane, k + 3 * plane, k + 4 * plane, k + 5 * plane)
                for bx in 0..<blocksX {
                    let x = s + 4 * bx
                    let (a, b, c, e) = (x[1], x[2], x[3], x[4])
                    k0[bx] = 4 * x[0] - 5 * b + e
                    k1[bx] = -4 * (a + b) + c + e
                    k2[bx] = 4 * (a - b) - c + e
                    k3[bx] = 2 * (c - a) + e - b
                    k4[bx] = 2 * (a - c) + e - b
                    k5[bx] = 4 * a - 5 * c + x[5]
                }
            }
        }
    }
}
