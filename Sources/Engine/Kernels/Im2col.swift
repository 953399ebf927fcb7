/// Unfolds input patches into columns so that a convolution becomes one matrix product:
/// row (c * kh + ky) * kw + kx, column (y - firstRow) * outputWidth + x holds
/// input[c, y * strideY - padTop + ky * dilationY, x * strideX - padLeft + kx * dilationX],
/// or 0 where that falls in the padding. Only output rows firstRow..<endRow are unfolded,
/// which keeps the buffer small for large frames.
enum Im2col {
    /// One stretch of a column row: output columns firstX..<endX read input row `inputY`
    /// (nil in the padding) from `inputOffset + x * strideX` within the channel plane.
    struct Segment {
        var columnRow: Int
        var inputY: Int?
        var inputOffset: Int
        var firstX: Int
        var endX: Int
    }

    /// Calls `body` for every (channel, ky, kx, output row) of the band, with the part of the
    /// row that lies inside the picture. Channels are split between threads: each writes
    /// its own rows of columns (unfold) or its own input planes (fold).
    @inline(__always)
    static func forEachSegment(channels: Int, height: Int, width: Int, geometry g: ConvolutionGeometry,
                               outputWidth: Int, rows: Range<Int>, _ body: (Int, Segment) -> Void) {
        let bandSize = rows.count * outputWidth
        ParallelLoop.chunks(channels, workers: BLASRuntime.threadCount) { channelRange in
        for c in channelRange {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * bandSize
                    let offsetX = kx * g.dilationX - g.padLeft
                    // Output columns whose input column lies inside the image.
                    let firstX = min(outputWidth, max(0, (-offsetX + g.strideX - 1) / g.strideX))
                    let endX = max(firstX, min(outputWidth, (width - offsetX + g.strideX - 1) / g.strideX))
                    for y in rows {
                        let inputY = y * g.strideY - g.padTop + ky * g.dilationY
                        let inside = inputY >= 0 && inputY < height
                        body(c, Segment(columnRow: row + (y - rows.lowerBound) * outputWidth, inputY: inside ? inputY : nil,
                                        inputOffset: inputY * width + offsetX, firstX: firstX, endX: endX))
                    }
                }
            }
        }
        }
    }

    static func unfold(_ input: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                       geometry g: ConvolutionGeometry, outputWidth: Int, rows: Range<Int>,
                       into columns: UnsafeMutablePointer<Float>) {
        forEachSegment(channels: channels, height: height, width: width, geometry: g, outputWidth: outputWidth, rows: rows) { c, s in
            let target = columns + s.columnRow
            guard s.inputY != nil else {
                target.update(repeating: 0, count: outputWidth)
                return
            }
            let source = input + c * height * width + s.inputOffset
            if s.firstX > 0 { target.update(repeating: 0, count: s.firstX) }
            if g.strideX == 1 {
                (target + s.firstX).update(from: source + s.firstX, count: s.endX - s.firstX)
            } else {
                for x in s.firstX..<s.endX { target[x] = source[x * g.strideX] }
            }
            if s.endX < outputWidth { (target + s.endX).update(repeating: 0, count: outputWidth - s.endX) }
        }
    }

    /// The adjoint of `unfold`: adds every column value back onto the input position it came from.
    static func fold(_ columns: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                     geometry g: ConvolutionGeometry, outputWidth: Int, rows: Range<Int>,
                     into input: UnsafeMutablePointer<Float>) {
        forEachSegment(channels: channels, height: height, width: width, geometry: g, outputWidth: outputWidth, rows: rows) { c, s in
            guard s.inputY != nil else { return }
            let source = columns + s.columnRow
            let target = input + c * height * width + s.inputOffset
            for x in s.firstX..<s.endX { target[x * g.strideX] += source[x] }
        }
    }
}
