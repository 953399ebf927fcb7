import CKernels
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
/// The weight gradient uses the same algebra (WinogradGradient.swift). The forward pass (and
/// the input gradient, a forward pass) may take F(6x6, 3x3) instead (`Tile`).
enum Winograd {
    /// Output block side, and positions (products) per block, of F(4x4, 3x3).
    static let outputBlock = 4, positions = 36

    /// A forward pass's algebra: F(4x4, 3x3) above, or F(6x6, 3x3) (CKernels/Winograd6.c): 64
    /// products for 36 outputs instead of 36 for 16, 1.27x fewer per output, with more rounding
    /// (its points reach 1/2 and 32).
    enum Tile: Sendable {
        case four, six
        var outputBlock: Int { self == .four ? 4 : 6 }
        var positions: Int { (outputBlock + 2) * (outputBlock + 2) }

        /// F(6x6) for outputs of at least 160 pixels a side, F(4x4) below. F(6x6)'s 1.27x fewer
        /// products per pixel cost more transform work per pixel and larger partial edge
        /// blocks: on compact-x4 at 2 threads it rendered 200-pixel tiles about 5% faster but
        /// 128 x 128 frames about 20% slower (docs/studies/README.md).
        static func suited(outputHeight: Int, outputWidth: Int) -> Tile {
            min(outputHeight, outputWidth) >= 160 ? .six : .four
        }

        /// Blocks along an output side of `length`.
        func blocks(along length: Int) -> Int { (length + outputBlock - 1) / outputBlock }

        /// This algebra's input transform and the floats of scratch it needs (CKernels.h).
        var inputTransform: @convention(c) (UnsafePointer<Float>?, Int, Int, Int, Int, Int, Int, Int, UnsafeMutablePointer<Float>?, Int,
                                            UnsafeMutablePointer<Float>?, UnsafePointer<Float>?) -> Void {
            self == .four ? filmsr_winograd4_input : filmsr_winograd6_input
        }
        func inputScratch(width: Int, blocksAcross: Int) -> Int {
            self == .four ? filmsr_winograd4_input_scratch(width, blocksAcross) : filmsr_winograd6_input_scratch(width, blocksAcross)
        }

        /// This algebra's output transform and the floats of scratch it needs.
        var outputTransform: @convention(c) (UnsafePointer<Float>?, Int, Int, Int, Int, Int, Int, UnsafePointer<filmsr_channel_target>?,
                                             UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void {
            self == .four ? filmsr_winograd4_output : filmsr_winograd6_output
        }
        func outputScratch(blocksAcross: Int) -> Int {
            self == .four ? filmsr_winograd4_output_scratch(blocksAcross) : filmsr_winograd6_output_scratch(blocksAcross)
        }
    }

    static func applies(to geometry: ConvolutionGeometry) -> Bool {
        geometry.kernelHeight == 3 && geometry.kernelWidth == 3 && geometry.strideX == 1 && geometry.strideY == 1
            && geometry.dilationX == 1 && geometry.dilationY == 1
    }

    /// Transforms weights (out, in, 3, 3) into U: `tile.positions` matrices of out x in.
    static func transformFilters(_ weights: UnsafePointer<Float>, outputs: Int, inputs: Int, tile: Tile, into u: UnsafeMutablePointer<Float>) {
        if tile == .six {
            ParallelLoop.chunks(outputs, workers: BLASRuntime.threadCount) { range in
                let gathered = UnsafeMutablePointer<Float>.allocate(capacity: tile.positions * inputs)
                defer { gathered.deallocate() }
                filmsr_winograd6_filters(weights, outputs, inputs, range.lowerBound, range.count, u, gathered)
            }
            return
        }
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
    static func bandBlockRows(inputs: Int, outputs: Int, blocksAcross: Int, blocksDown: Int, workers: Int, tile: Tile) -> Int {
        var rows = max(1, min(blocksDown, bandBytes / (4 * workspaceSize(blocks: blocksAcross, inputs: inputs, outputs: outputs, tile: tile))))
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
    static func workspaceSize(blocks: Int, inputs: Int, outputs: Int, tile: Tile) -> Int { tile.positions * blocks * (inputs + outputs) }

    /// One band of block rows of one batch item, on the calling thread (its sgemms included).
    /// `u` from `transformFilters` for the same tile; `workspace` holds `workspaceSize` floats.
    /// `planes` holds each input channel's plane (height x width), so that channels may come
    /// from several tensors (an absorbed Concat).
    static func forward(planes: [UnsafePointer<Float>], height: Int, width: Int,
                        geometry g: ConvolutionGeometry, tile: Tile, u: UnsafePointer<Float>, outputs: Int, blockRows: Range<Int>,
                        epilogue: ChannelEpilogue, workspace: UnsafeMutablePointer<Float>, into target: OutputPlacement) {
        let inputs = planes.count
        let outputHeight = g.outputHeight(height), outputWidth = g.outputWidth(width)
        let blocksX = tile.blocks(along: outputWidth), blocks = blockRows.count * blocksX
        let v = workspace, m = workspace + tile.positions * inputs * blocks
        // Row scratch: for the input transform, then for the output transform's half-transformed
        // rows, one output row and its phases (CKernels.h).
        let scratch = UnsafeMutablePointer<Float>.allocate(
            capacity: max(tile.inputScratch(width: width, blocksAcross: blocksX), tile.outputScratch(blocksAcross: blocksX)))
        defer { scratch.deallocate() }
        let plane = inputs * blocks
        // Each transform is handed the plane of the next call, to prefetch (CKernels.h).
        for i in 0..<inputs {
            tile.inputTransform(planes[i], height, width, g.padTop, g.padLeft, blockRows.lowerBound, blockRows.count, blocksX,
                                v + i * blocks, plane, scratch, i + 1 < inputs ? planes[i + 1] : nil)
        }
        for k in 0..<tile.positions {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputs), Int32(blocks), Int32(inputs),
                        1, u + k * outputs * inputs, Int32(inputs), v + k * plane, Int32(blocks),
                        0, m + k * outputs * blocks, Int32(blocks))
        }
        // Output transform y = A^T M A, a block row at a time, then the epilogue on the way out.
        for o in 0..<outputs {
            var channel = target.target(o, epilogue: epilogue)
            tile.outputTransform(m + o * blocks, outputs * blocks, blockRows.lowerBound, blockRows.count, blocksX, outputHeight,
                                 outputWidth, &channel, scratch, o + 1 < outputs ? target.origin(o + 1) : nil)
        }
    }


    /// V = B^T d B for the blocks of `blockRows` of one channel plane: position k's block
    /// (by, bx) goes to v[k * positionStride + (by - blockRows.lowerBound) * blocksAcross + bx].
    /// `scratch` holds `Tile.four.inputScratch` floats. In C (CKernels), compiled for AVX-512 too.
    static func transformInput(_ channel: UnsafePointer<Float>, height: Int, width: Int, geometry g: ConvolutionGeometry,
                               blockRows: Range<Int>, blocksAcross blocksX: Int, into v: UnsafeMutablePointer<Float>,
                               positionStride plane: Int, scratch: UnsafeMutablePointer<Float>) {
        filmsr_winograd4_input(channel, height, width, g.padTop, g.padLeft, blockRows.lowerBound, blockRows.count, blocksX,
                               v, plane, scratch, nil)
    }
}
