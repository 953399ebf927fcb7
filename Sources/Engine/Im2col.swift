/// Unfolds input patches into columns so that a convolution becomes one matrix product:
/// row (c * kh + ky) * kw + kx, column (y - firstRow) * outputWidth + x holds
/// input[c, y * strideY - padTop + ky * dilationY, x * strideX - padLeft + kx * dilationX],
/// or 0 where that falls in the padding. Only output rows firstRow..<endRow are unfolded,
/// which keeps the buffer small for large frames.
enum Im2col {
    static func unfold(_ input: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                       geometry g: ConvolutionGeometry, outputWidth: Int, rows: Range<Int>,
                       into columns: UnsafeMutablePointer<Float>) {
        let bandSize = rows.count * outputWidth
        for c in 0..<channels {
            let plane = input + c * height * width
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * bandSize
                    let offsetX = kx * g.dilationX - g.padLeft
                    // Output columns whose input column lies inside the image.
                    let firstX = min(outputWidth, max(0, (-offsetX + g.strideX - 1) / g.strideX))
                    let endX = max(firstX, min(outputWidth, (width - offsetX + g.strideX - 1) / g.strideX))
                    for y in rows {
                        let target = row + (y - rows.lowerBound) * outputWidth
                        let inputY = y * g.strideY - g.padTop + ky * g.dilationY
                        guard inputY >= 0 && inputY < height else {
                            target.update(repeating: 0, count: outputWidth)
                            continue
                        }
                        let source = plane + inputY * width + offsetX
                        if firstX > 0 { target.update(repeating: 0, count: firstX) }
                        if g.strideX == 1 {
                            (target + firstX).update(from: source + firstX, count: endX - firstX)
                        } else {
                            for x in firstX..<endX { target[x] = source[x * g.strideX] }
                        }
                        if endX < outputWidth { (target + endX).update(repeating: 0, count: outputWidth - endX) }
                    }
                }
            }
        }
    }

    /// The adjoint of `unfold`: adds every column value back onto the input position it came from.
    static func fold(_ columns: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                     geometry g: ConvolutionGeometry, outputWidth: Int, rows: Range<Int>,
                     into input: UnsafeMutablePointer<Float>) {
        let bandSize = rows.count * outputWidth
        for c in 0..<channels {
            let plane = input + c * height * width
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * bandSize
                    let offsetX = kx * g.dilationX - g.padLeft
                    let firstX = min(outputWidth, max(0, (-offsetX + g.strideX - 1) / g.strideX))
                    let endX = max(firstX, min(outputWidth, (width - offsetX + g.strideX - 1) / g.strideX))
                    for y in rows {
                        let inputY = y * g.strideY - g.padTop + ky * g.dilationY
                        guard inputY >= 0 && inputY < height else { continue }
                        let source = row + (y - rows.lowerBound) * outputWidth
                        let target = plane + inputY * width + offsetX
                        for x in firstX..<endX { target[x * g.strideX] += source[x] }
                    }
                }
            }
        }
    }
}
