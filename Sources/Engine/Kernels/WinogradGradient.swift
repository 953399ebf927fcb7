import COpenBLAS

/// The backward pass of a 3x3, stride-1 convolution through the same F(4x4, 3x3) algebra as
/// the forward pass (Winograd.swift), so that training's two backward products shrink 4x too.
///
/// Input gradient: with padding 1 on every side, dL/dx is the forward convolution of dL/dy
/// with each kernel turned by 180 degrees and the channels swapped (in x out), same geometry:
/// the forward Winograd path with `flipAndSwap`'s weights.
///
/// Weight gradient: y = A^T (U . V) A per block and channel pair is bilinear in U and V, so
///   dM     = A dY A^T                   per output-gradient block (`transformOutputGradient`)
///   dU[k]  = dM[k] V[k]^T               36 sgemms, (out x T) (T x in), T blocks of every item
///   dL/dg  = G^T dU G                   (`addFilterGradient`)
/// with V the forward's input transform, recomputed rather than kept (it is 2.25x the input).
extension Winograd {
    /// Whether both gradients may take this path: the input gradient needs the padding that
    /// keeps the picture's size (1 on every side), so that the flipped convolution has it too.
    static func appliesToBackward(_ g: ConvolutionGeometry) -> Bool {
        applies(to: g) && g.padTop == 1 && g.padLeft == 1 && g.padBottom == 1 && g.padRight == 1
    }

    /// Weights (out, in, 3, 3) -> (in, out, 3, 3), each kernel turned by 180 degrees.
    static func flipAndSwap(_ weights: UnsafePointer<Float>, outputs: Int, inputs: Int, into target: UnsafeMutablePointer<Float>) {
        for o in 0..<outputs {
            for i in 0..<inputs {
                let source = weights + (o * inputs + i) * 9, flipped = target + (i * outputs + o) * 9
                for tap in 0..<9 { flipped[tap] = source[8 - tap] }
            }
        }
    }

    /// Floats of scratch `transformOutputGradient` needs: one zero-padded row (4 * blocksX) and
    /// the row pass's 4 rows x 6 columns, each blocksX wide.
    static func outputGradientScratchSize(blocksAcross: Int) -> Int { 28 * blocksAcross }

    /// dM = A dY A^T for the blocks of `blockRows` of one output-gradient channel (the adjoint of
    /// the forward's output transform; outputs beyond the picture's edge count as zero), laid
    /// out as `transformInput` lays out V. With A^T's rows (1 1 1 1 1 0), (0 1 -1 2 -2 0),
    /// (0 1 1 4 4 0), (0 1 -1 8 -8 1), A maps (y0, y1, y2, y3) to (y0, y0 + y1 + y2 + y3,
    /// y0 - y1 + y2 - y3, y0 + 2 y1 + 4 y2 + 8 y3, y0 - 2 y1 + 4 y2 - 8 y3, y3).
    static func transformOutputGradient(
        _ channel: UnsafePointer<Float>, outputHeight: Int, outputWidth: Int, blockRows: Range<Int>,
        blocksAcross blocksX: Int, into dm: UnsafeMutablePointer<Float>, positionStride plane: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let line = scratch, half = scratch + 4 * blocksX
        (line + outputWidth).update(repeating: 0, count: 4 * blocksX - outputWidth)
        for by in blockRows {
            // A (.) along x, row by row: half holds row r's 6 columns at (6 r + j) * blocksX.
            for r in 0..<4 {
                let h = half + 6 * r * blocksX
                let (q0, q1, q2, q3, q4, q5) = (h, h + blocksX, h + 2 * blocksX, h + 3 * blocksX, h + 4 * blocksX, h + 5 * blocksX)
                let y = 4 * by + r
                guard y < outputHeight else {
                    h.update(repeating: 0, count: 6 * blocksX)
                    continue
                }
                line.update(from: channel + y * outputWidth, count: outputWidth)
                for bx in 0..<blocksX {
                    let x = line + 4 * bx
                    let (y0, y1, y2, y3) = (x[0], x[1], x[2], x[3])
                    let even = y0 + y2, odd = y1 + y3, evenFar = y0 + 4 * y2, oddFar = 2 * y1 + 8 * y3
                    q0[bx] = y0
                    q1[bx] = even + odd
                    q2[bx] = even - odd
                    q3[bx] = evenFar + oddFar
                    q4[bx] = evenFar - oddFar
                    q5[bx] = y3
                }
            }
            // A (.) along y: position 6 i + j from column j of the four rows.
            let base = (by - blockRows.lowerBound) * blocksX
            for j in 0..<6 {
                let (h0, h1, h2, h3) = (half + j * blocksX, half + (6 + j) * blocksX, half + (12 + j) * blocksX, half + (18 + j) * blocksX)
                let d = dm + j * plane + base
                let (d0, d1, d2, d3, d4, d5) = (d, d + 6 * plane, d + 12 * plane, d + 18 * plane, d + 24 * plane, d + 30 * plane)
                for bx in 0..<blocksX {
                    let (y0, y1, y2, y3) = (h0[bx], h1[bx], h2[bx], h3[bx])
                    let even = y0 + y2, odd = y1 + y3, evenFar = y0 + 4 * y2, oddFar = 2 * y1 + 8 * y3
                    d0[bx] = y0
                    d1[bx] = even + odd
                    d2[bx] = even - odd
                    d3[bx] = evenFar + oddFar
                    d4[bx] = evenFar - oddFar
                    d5[bx] = y3
                }
            }
        }
    }

    /// gradient (out, in, 3, 3) += G^T dU G for every channel pair, dU laid out as U (36
    /// matrices of out x in). G^T maps (u0 .. u5) to (u0 / 4 - (u1 + u2) / 6 + (u3 + u4) / 24,
    /// (u2 - u1) / 6 + (u3 - u4) / 12, (u3 + u4 - u1 - u2) / 6 + u5).
    static func addFilterGradient(_ du: UnsafePointer<Float>, outputs: Int, inputs: Int, into gradient: UnsafeMutablePointer<Float>) {
        let stride = outputs * inputs
        @inline(__always) func transposed(_ u0: Float, _ u1: Float, _ u2: Float, _ u3: Float, _ u4: Float, _ u5: Float) -> (Float, Float, Float) {
            let sixth: Float = 1.0 / 6, twelfth: Float = 1.0 / 12, twentyFourth: Float = 1.0 / 24
            let near = u1 + u2, far = u3 + u4
            return (0.25 * u0 - sixth * near + twentyFourth * far, sixth * (u2 - u1) + twelfth * (u3 - u4), sixth * (far - near) + u5)
        }
        for pair in 0..<stride {
            let p = du + pair
            // G^T (.) down each of the 6 columns, then along each of the 3 rows that gives.
            @inline(__always) func column(_ c: Int) -> (Float, Float, Float) {
                transposed(p[c * stride], p[(6 + c) * stride], p[(12 + c) * stride], p[(18 + c) * stride], p[(24 + c) * stride], p[(30 + c) * stride])
            }
            let (c0, c1, c2, c3, c4, c5) = (column(0), column(1), column(2), column(3), column(4), column(5))
            let g = gradient + pair * 9
            let top = transposed(c0.0, c1.0, c2.0, c3.0, c4.0, c5.0)
            let middle = transposed(c0.1, c1.1, c2.1, c3.1, c4.1, c5.1)
            let bottom = transposed(c0.2, c1.2, c2.2, c3.2, c4.2, c5.2)
            g[0] += top.0
            g[1] += top.1
            g[2] += top.2
            g[3] += middle.0
            g[4] += middle.1
            g[5] += middle.2
            g[6] += bottom.0
            g[7] += bottom.1
            g[8] += bottom.2
        }
    }

    /// A piece of the batch whose V and dM are made and multiplied together: `items` items from
    /// `firstItem` on, block rows `rows` of each.
    struct GradientChunk: Equatable {
        var firstItem: Int
        var items: Int
        var rows: Range<Int>
    }

    /// The batch cut into chunks whose V and dM fit `gradientBytes` together: whole items where
    /// one fits, otherwise even bands of block rows (at least one row) of each item.
    static func gradientChunks(batch: Int, inputs: Int, outputs: Int, blocksAcross: Int, blocksDown: Int) -> [GradientChunk] {
        let rowsThatFit = max(1, gradientBytes / (4 * positions * (inputs + outputs) * blocksAcross))
        if rowsThatFit >= blocksDown {
            let items = max(1, min(batch, rowsThatFit / blocksDown))
            return stride(from: 0, to: batch, by: items).map { GradientChunk(firstItem: $0, items: min(items, batch - $0), rows: 0..<blocksDown) }
        }
        let bands = (blocksDown + rowsThatFit - 1) / rowsThatFit, rows = (blocksDown + bands - 1) / bands
        return (0..<batch).flatMap { n in
            stride(from: 0, to: blocksDown, by: rows).map { GradientChunk(firstItem: n, items: 1, rows: $0..<min(blocksDown, $0 + rows)) }
        }
    }

    /// Room for V and dM of one chunk. Measured on the compact-x4 training step (4 x 64x64): the
    /// whole batch at once (19 MB) 0.626 s at 2 threads, one item (4.7 MB) 0.56 s: what does not
    /// stay in the cache between the transforms and the products costs more than larger products gain.
    static let gradientBytes = 2 << 20

    /// Floats of workspace `addWeightGradient` needs (V and dM of its largest chunk).
    static func weightGradientWorkspaceSize(batch: Int, inputs: Int, outputs: Int, outputHeight: Int, outputWidth: Int) -> Int {
        let blocksX = blocksAcross(outputWidth: outputWidth), blocksDown = (outputHeight + outputBlock - 1) / outputBlock
        let chunks = gradientChunks(batch: batch, inputs: inputs, outputs: outputs, blocksAcross: blocksX, blocksDown: blocksDown)
        return chunks.map { $0.items * $0.rows.count }.max()! * blocksX * positions * (inputs + outputs)
    }

    /// weightGradient (out, in, 3, 3) += dL/dg over the whole batch: `input` (batch x inputs x
    /// height x width), `outputGradient` (batch x outputs x outputHeight x outputWidth). `du`
    /// holds 36 * outputs * inputs floats. Each of the 36 products is one single-threaded sgemm
    /// over the blocks of a chunk, handed whole to a thread, and the chunks are summed in order:
    /// the result does not depend on the number of threads.
    static func addWeightGradient(
        input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, batch: Int, inputs: Int, outputs: Int,
        height: Int, width: Int, geometry g: ConvolutionGeometry, workspace: UnsafeMutablePointer<Float>,
        products du: UnsafeMutablePointer<Float>, into weightGradient: UnsafeMutablePointer<Float>
    ) {
        let outputHeight = g.outputHeight(height), outputWidth = g.outputWidth(width)
        let blocksX = blocksAcross(outputWidth: outputWidth), blocksDown = (outputHeight + outputBlock - 1) / outputBlock
        let workers = BLASRuntime.threadCount
        let scratchSize = max(Tile.four.inputScratch(width: width, blocksAcross: blocksX), outputGradientScratchSize(blocksAcross: blocksX))
        let scratches = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchSize)
        defer { scratches.deallocate() }
        let chunks = gradientChunks(batch: batch, inputs: inputs, outputs: outputs, blocksAcross: blocksX, blocksDown: blocksDown)
        for (index, chunk) in chunks.enumerated() {
            let perItem = chunk.rows.count * blocksX, t = chunk.items * perItem
            let v = workspace, dm = workspace + positions * inputs * t
            let channels = inputs + outputs
            // Jobs handed out as workers come free (a core shared with another process takes
            // fewer); each writes its own rows of V or dM, so the order does not matter.
            ParallelLoop.items(chunk.items * channels, workers: workers) { worker, job in
                let scratch = scratches + worker * scratchSize
                let n = job / channels, c = job % channels
                if c < inputs {
                    transformInput(
                        input + ((chunk.firstItem + n) * inputs + c) * height * width, height: height, width: width, geometry: g,
                        blockRows: chunk.rows, blocksAcross: blocksX, into: v + c * t + n * perItem,
                        positionStride: inputs * t, scratch: scratch)
                } else {
                    let o = c - inputs
                    transformOutputGradient(
                        outputGradient + ((chunk.firstItem + n) * outputs + o) * outputHeight * outputWidth,
                        outputHeight: outputHeight, outputWidth: outputWidth, blockRows: chunk.rows,
                        blocksAcross: blocksX, into: dm + o * t + n * perItem, positionStride: outputs * t,
                        scratch: scratch)
                }
            }
            let beta: Float = index == 0 ? 0 : 1
            BLASRuntime.withProductsOnCallingThread {
                ParallelLoop.items(positions, workers: workers) { _, k in
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(outputs), Int32(inputs), Int32(t),
                        1, dm + k * outputs * t, Int32(t), v + k * inputs * t, Int32(t),
                        beta, du + k * outputs * inputs, Int32(inputs))
                }
            }
        }
        addFilterGradient(du, outputs: outputs, inputs: inputs, into: weightGradient)
    }
}
