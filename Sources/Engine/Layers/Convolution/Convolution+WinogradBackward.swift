/// The backward pass of a 3x3, stride-1, padding-1 convolution through Winograd's F(4x4, 3x3)
/// (WinogradGradient.swift): the whole batch at once, so that the weight gradient is 36
/// products over every block of every item rather than one small product per item and band.
/// Workspace slots: 0 and 1 as the forward pass uses them (the input gradient is a forward
/// pass), 2 the gradient through a fused activation, 3 V and dM, 4 dU, 5 the flipped weights.
extension Convolution {
    func backwardWinograd(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: Tensor?) {
        let shape = input.shape, outputShape = output.shape
        let plane = outputShape.planeSize
        // Gradient before the fused activation.
        var gradient = UnsafePointer(outputGradient.data)
        if activation != .none {
            let adjusted = workspace.buffer(2, count: outputShape.count)
            adjusted.update(from: gradient, count: outputShape.count)
            activation.backpropagate(output: output.data, gradient: adjusted, count: outputShape.count)
            gradient = UnsafePointer(adjusted)
        }
        if let bias, bias.isTrainable {
            for n in 0..<shape.batch {
                for c in 0..<outputChannels {
                    bias.gradient.data[c] += VectorSum.sum(gradient + (n * outputChannels + c) * plane, count: plane)
                }
            }
        }
        if weight.isTrainable {
            let size = Winograd.weightGradientWorkspaceSize(
                batch: shape.batch, inputs: inputChannels, outputs: outputChannels,
                outputHeight: outputShape.height, outputWidth: outputShape.width)
            Winograd.addWeightGradient(
                input: input.data, outputGradient: gradient, batch: shape.batch, inputs: inputChannels,
                outputs: outputChannels, height: shape.height, width: shape.width, geometry: geometry,
                workspace: workspace.buffer(3, count: size),
                products: workspace.buffer(4, count: Winograd.positions * outputChannels * inputChannels),
                into: weight.gradient.data)
        }
        guard let inputGradient else { return }
        // dL/dx: the forward convolution of dL/dy with the kernels flipped, channels swapped.
        let flipped = workspace.buffer(5, count: 9 * outputChannels * inputChannels)
        Winograd.flipAndSwap(weight.value.data, outputs: outputChannels, inputs: inputChannels, into: flipped)
        let tile = winogradTile(height: outputShape.height, width: outputShape.width)
        let filters = scratchBuffer(tile.positions * outputChannels * inputChannels)
        Winograd.transformFilters(flipped, outputs: inputChannels, inputs: outputChannels, tile: tile, into: filters)
        var epilogue = ChannelEpilogue(bias: nil, activation: .none, preluSlopes: nil)
        epilogue.accumulates = true
        let planes = (0..<shape.batch).map { n in (0..<outputChannels).map { UnsafePointer(gradient + (n * outputChannels + $0) * plane) } }
        winogradBands(
            items: planes, height: outputShape.height, width: outputShape.width, tile: tile, filters: filters, outputs: inputChannels,
            epilogue: epilogue,
            into: (0..<shape.batch).map { OutputPlacement(inputGradient.plane($0, 0), height: shape.height, width: shape.width) })
    }
}
