/// A layer that, at inference, can do the work of the layer after it while writing its own
/// output, saving a pass over memory and the tensor in between (a convolution absorbs the
/// PReLU that follows it). Training runs them apart: backward needs the values in between.
protocol AbsorbsNextLayer: Layer {
    func canAbsorb(_ next: Layer) -> Bool
    /// Forward pass of this layer then `next` (one that `canAbsorb` accepted) into `next`'s outputs.
    func forward(_ inputs: [Tensor], absorbing next: Layer, _ outputs: [Tensor])
}
