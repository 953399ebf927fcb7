import COpenBLAS

/// 2-D convolution (cross-correlation, as in PyTorch and ncnn) with optional bias and a fused
/// activation. Weight shape (out, in, kh, kw); bias (1, out, 1, 1).
///
/// Forward unfolds bands of output rows with im2col and multiplies them by the weights with
/// one sgemm per band, writing straight into the output planes, or (3x3, stride 1) takes
/// Winograd's F(4x4, 3x3). Backward takes Winograd too where the padding is 1 on every side
/// (Convolution+WinogradBackward.swift); otherwise it recomputes the im2col bands rather than
/// keeping them, so memory stays bounded by one band.
public final class Convolution: Layer, WorkspaceUser, AbsorbsNextLayer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let geometry: ConvolutionGeometry
    public let activation: Activation
    /// Winograd F(4x4, 3x3) or F(6x6, 3x3) where the geometry allows (forward: 3x3, stride 1; backward: also
    /// padding 1); im2col otherwise.
    public var allowsWinograd = true
    /// The Winograd algebra of the forward pass and of the input gradient; nil: chosen by the
    /// output's size (`Winograd.Tile.suited`). Tests set it to check each algebra on small inputs.
    var winogradTile: Winograd.Tile?
    public let weight: Parameter
    public let bias: Parameter?
    public var workspace = Workspace()

    public init(name: String = "conv", inputChannels: Int, outputChannels: Int, geometry: ConvolutionGeometry,
                bias: Bool = true, activation: Activation = .none) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.geometry = geometry
        self.activation = activation
        weight = Parameter(name: name + ".weight", Tensor(Shape(outputChannels, inputChannels, geometry.kernelHeight, geometry.kernelWidth)))
        self.bias = bias ? Parameter(name: name + ".bias", Tensor(Shape(1, outputChannels, 1, 1))) : nil
    }

    public var kind: String { "Convolution" }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    var patchSize: Int { inputChannels * geometry.kernelHeight * geometry.kernelWidth }

    public func outputShapes(for inputs: [Shape]) throws -> [Shape] {
        let input = inputs[0]
        guard input.channels == inputChannels else {
            throw EngineError("expects \(inputChannels) input channels, got \(input.channels)")
        }
        let shape = Shape(input.batch, outputChannels, geometry.outputHeight(input.height), geometry.outputWidth(input.width))
        guard shape.height > 0 && shape.width > 0 else { throw EngineError("input \(input.height)x\(input.width) is smaller than the kernel") }
        return [shape]
    }

    /// Output rows per band: about 8 MB of unfolded columns.
    private func bandRows(outputWidth: Int, outputHeight: Int) -> Int {
        max(1, min(outputHeight, (2 << 20) / max(1, patchSize * outputWidth)))
    }

    func columnBuffer(_ count: Int) -> UnsafeMutablePointer<Float> { workspace.buffer(0, count: count) }
    func scratchBuffer(_ count: Int) -> UnsafeMutablePointer<Float> { workspace.buffer(1, count: count) }

    public func forward(_ inputs: [Tensor], _ outputs: [Tensor]) {
        forward(stacking: inputs, into: outputs[0], preluSlopes: nil)
    }

    func canAbsorb(_ next: Layer) -> Bool {
        (next as? PReLU)?.slope.shape.channels == outputChannels
    }

    /// Convolution then PReLU, the PReLU applied in the convolution's epilogue.
    func forward(_ inputs: [Tensor], absorbing next: Layer, _ outputs: [Tensor]) {
        forward(stacking: inputs, into: outputs[0], preluSlopes: (next as! PReLU).slope.value.data)
    }

    /// Whether the forward pass can read its input channels from several tensors, as if joined
    /// (the Winograd transform reads plane by plane), so that an inference may skip a Concat.
    var readsStackedChannels: Bool { allowsWinograd && Winograd.applies(to: geometry) }

    /// Forward pass over the channels of `inputs` joined (one tensor but where
    /// `readsStackedChannels`), optionally followed by a PReLU with `preluSlopes`.
    func forward(stacking inputs: [Tensor], into output: Tensor, preluSlopes: UnsafePointer<Float>?) {
        let shape = inputs[0].shape
        if readsStackedChannels {
            let outputHeight = geometry.outputHeight(shape.height), outputWidth = geometry.outputWidth(shape.width)
            forwardWinograd(stacking: inputs, preluSlopes: preluSlopes, into: (0..<shape.batch).map {
                OutputPlacement(output.plane($0, 0), height: outputHeight, width: outputWidth)
            })
            return
        }
        for n in 0..<shape.batch {
            forwardItem(inputs[0].plane(n, 0), height: shape.height, width: shape.width,
                        weights: weight.value.data, into: output.plane(n, 0), preluSlopes: preluSlopes)
        }
    }

    /// Forward pass then a pixel shuffle by `factor` (depth to space), plus `addend` (the
    /// network's input: this layer's output size, output channels / factor² channels) upsampled
    /// by `factor`, nearest: each value computed goes straight to its place in `output`, and the
    /// upsampling is never made. Only where `readsStackedChannels`.
    func forward(_ input: Tensor, shuffledBy factor: Int, adding addend: Tensor, into output: Tensor) {
        precondition(readsStackedChannels, "a pixel shuffle is folded into the Winograd forward pass only")
        let shape = input.shape
        let outputHeight = geometry.outputHeight(shape.height), outputWidth = geometry.outputWidth(shape.width)
        forwardWinograd(stacking: [input], preluSlopes: nil, into: (0..<shape.batch).map { n in
            OutputPlacement(output.plane(n, 0), height: outputHeight, width: outputWidth, shuffledBy: factor,
                            adding: addend.plane(n, 0))
        })
    }

    /// The Winograd forward pass of the whole batch in one go: the filters transformed once,
    /// every item's bands shared out between the threads together.
    private func forwardWinograd(stacking inputs: [Tensor], preluSlopes: UnsafePointer<Float>?, into targets: [OutputPlacement]) {
        let shape = inputs[0].shape
        let planes = (0..<shape.batch).map { n in
            inputs.flatMap { input in (0..<input.shape.channels).map { UnsafePointer(input.plane(n, $0)) } }
        }
        let tile = winogradTile(height: shape.height, width: shape.width)
        let filters = scratchBuffer(tile.positions * outputChannels * inputChannels)
        Winograd.transformFilters(weight.value.data, outputs: outputChannels, inputs: inputChannels, tile: tile, into: filters)
        winogradBands(items: planes, height: shape.height, width: shape.width, tile: tile, filters: filters, outputs: outputChannels,
                      epilogue: epilogue(preluSlopes: preluSlopes), into: targets)
    }

    private func epilogue(preluSlopes: UnsafePointer<Float>?) -> ChannelEpilogue {
        ChannelEpilogue(bias: bias.map { UnsafePointer($0.value.data) }, activation: activation, preluSlopes: preluSlopes)
    }

    /// One batch item: `target` (out x oh x ow) = activation(weights * unfold(source) + bias),
    /// followed by a PReLU with `preluSlopes` where given (inference fuses it here).
    func forwardItem(_ source: UnsafePointer<Float>, height: Int, width: Int, weights: UnsafePointer<Float>,
                     into target: UnsafeMutablePointer<Float>, preluSlopes: UnsafePointer<Float>? = nil) {
        let outputHeight = geometry.outputHeight(height), outputWidth = geometry.outputWidth(width)
        let outputPlane = outputHeight * outputWidth
        let k = patchSize
        let epilogue = epilogue(preluSlopes: preluSlopes)
        if readsStackedChannels {
            let planes = (0..<inputChannels).map { source + $0 * height * width }
            forwardWinograd(planes: planes, height: height, width: width, weights: weights, epilogue: epilogue, into: target)
            return
        }
        if geometry.isPointwise {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputChannels), Int32(outputPlane), Int32(k),
                        1, weights, Int32(k), source, Int32(outputPlane), 0, target, Int32(outputPlane))
        } else {
            let band = bandRows(outputWidth: outputWidth, outputHeight: outputHeight)
            let columns = columnBuffer(k * band * outputWidth)
            for firstRow in stride(from: 0, to: outputHeight, by: band) {
                let rows = firstRow..<min(outputHeight, firstRow + band)
                let bandSize = rows.count * outputWidth
                Im2col.unfold(source, channels: inputChannels, height: height, width: width, geometry: geometry,
                              outputWidth: outputWidth, rows: rows, into: columns)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outputChannels), Int32(bandSize), Int32(k),
                            1, weights, Int32(k), columns, Int32(bandSize), 0,
                            target + firstRow * outputWidth, Int32(outputPlane))
            }
        }
        for c in 0..<outputChannels {
            epilogue.store(target + c * outputPlane, to: target + c * outputPlane, count: outputPlane, channel: c)
        }
    }

    /// The Winograd algebra for an input of `height` x `width`.
    func winogradTile(height: Int, width: Int) -> Winograd.Tile {
        winogradTile ?? .suited(outputHeight: geometry.outputHeight(height), outputWidth: geometry.outputWidth(width))
    }

    /// The Winograd forward pass of one item: the filters transformed, then `winogradBands`.
    private func forwardWinograd(planes: [UnsafePointer<Float>], height: Int, width: Int, weights: UnsafePointer<Float>,
                                 epilogue: ChannelEpilogue, into target: UnsafeMutablePointer<Float>) {
        let tile = winogradTile(height: height, width: width)
        let filters = scratchBuffer(tile.positions * outputChannels * inputChannels)
        Winograd.transformFilters(weights, outputs: outputChannels, inputs: inputChannels, tile: tile, into: filters)
        winogradBands(items: [planes], height: height, width: width, tile: tile, filters: filters, outputs: outputChannels, epilogue: epilogue,
                      into: [OutputPlacement(target, height: geometry.outputHeight(height), width: geometry.outputWidth(width))])
    }

    /// A Winograd convolution with transformed `filters` giving `outputs` channels, of each item's
    /// `planes` into its target, band by band of block rows, each band on one thread (its
    /// transforms and single-threaded sgemms), so that its transformed input and products stay
    /// in that core's cache between the three steps. The bands of every item are handed out
    /// together, as threads come free.
    func winogradBands(items planes: [[UnsafePointer<Float>]], height: Int, width: Int, tile: Winograd.Tile, filters: UnsafePointer<Float>, outputs: Int,
                       epilogue: ChannelEpilogue, into targets: [OutputPlacement]) {
        let inputs = planes[0].count
        let outputHeight = geometry.outputHeight(height), outputWidth = geometry.outputWidth(width)
        let blocksX = tile.blocks(along: outputWidth), blocksDown = tile.blocks(along: outputHeight)
        let workers = max(1, min(BLASRuntime.threadCount, blocksDown * planes.count))
        let band = Winograd.bandBlockRows(inputs: inputs, outputs: outputs, blocksAcross: blocksX,
                                          blocksDown: blocksDown, workers: min(workers, blocksDown), tile: tile)
        let bands = (blocksDown + band - 1) / band
        let share = Winograd.workspaceSize(blocks: band * blocksX, inputs: inputs, outputs: outputs, tile: tile)
        let buffer = columnBuffer(workers * share)
        let geometry = geometry
        BLASRuntime.withProductsOnCallingThread {
            ParallelLoop.items(planes.count * bands, workers: workers) { worker, job in
                let item = job / bands, index = job % bands
                Winograd.forward(planes: planes[item], height: height, width: width, geometry: geometry, tile: tile, u: filters,
                                 outputs: outputs, blockRows: index * band..<min(blocksDown, (index + 1) * band), epilogue: epilogue,
                                 workspace: buffer + worker * share, into: targets[item])
            }
        }
    }

    public func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?]) {
        let input = inputs[0], output = outputs[0]
        if allowsWinograd && Winograd.appliesToBackward(geometry) {
            backwardWinograd(input: input, output: output, outputGradient: outputGradients[0], inputGradient: inputGradients[0])
            return
        }
        for n in 0..<input.shape.batch {
            backwardItem(input.plane(n, 0), height: input.shape.height, width: input.shape.width, output: output.plane(n, 0),
                         outputGradient: outputGradients[0].plane(n, 0), weights: weight.value.data,
                         weightGradient: weight.isTrainable ? weight.gradient.data : nil,
                         inputGradient: inputGradients[0]?.plane(n, 0))
        }
    }

    /// One batch item: adds the gradients for `weights` (when asked), the bias (when trainable)
    /// and the input (when asked).
    func backwardItem(_ source: UnsafePointer<Float>, height: Int, width: Int, output: UnsafePointer<Float>,
                      outputGradient: UnsafePointer<Float>, weights: UnsafePointer<Float>,
                      weightGradient: UnsafeMutablePointer<Float>?, inputGradient: UnsafeMutablePointer<Float>?) {
        let outputHeight = geometry.outputHeight(height), outputWidth = geometry.outputWidth(width)
        let outputPlane = outputHeight * outputWidth
        let k = patchSize
        // Gradient before the fused activation.
        var gradient = outputGradient
        if activation != .none {
            let adjusted = scratchBuffer(outputChannels * outputPlane)
            adjusted.update(from: gradient, count: outputChannels * outputPlane)
            activation.backpropagate(output: output, gradient: adjusted, count: outputChannels * outputPlane)
            gradient = UnsafePointer(adjusted)
        }
        if let bias, bias.isTrainable {
            for c in 0..<outputChannels {
                bias.gradient.data[c] += VectorSum.sum(gradient + c * outputPlane, count: outputPlane)
            }
        }
        if geometry.isPointwise {
            if let weightGradient {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(outputChannels), Int32(k), Int32(outputPlane),
                            1, gradient, Int32(outputPlane), source, Int32(outputPlane), 1, weightGradient, Int32(k))
            }
            if let inputGradient {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(outputPlane), Int32(outputChannels),
                            1, weights, Int32(k), gradient, Int32(outputPlane), 1, inputGradient, Int32(outputPlane))
            }
            return
        }
        let band = bandRows(outputWidth: outputWidth, outputHeight: outputHeight)
        let columns = columnBuffer(k * band * outputWidth)
        for firstRow in stride(from: 0, to: outputHeight, by: band) {
            let rows = firstRow..<min(outputHeight, firstRow + band)
            let bandSize = rows.count * outputWidth
            let bandGradient = gradient + firstRow * outputWidth
            if let weightGradient {
                Im2col.unfold(source, channels: inputChannels, height: height, width: width, geometry: geometry,
                              outputWidth: outputWidth, rows: rows, into: columns)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(outputChannels), Int32(k), Int32(bandSize),
                            1, bandGradient, Int32(outputPlane), columns, Int32(bandSize), 1, weightGradient, Int32(k))
            }
            if let inputGradient {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(bandSize), Int32(outputChannels),
                            1, weights, Int32(k), bandGradient, Int32(outputPlane), 0, columns, Int32(bandSize))
                Im2col.fold(columns, channels: inputChannels, height: height, width: width, geometry: geometry,
                            outputWidth: outputWidth, rows: rows, into: inputGradient)
            }
        }
    }
}
