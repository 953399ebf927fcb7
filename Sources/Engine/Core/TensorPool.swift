/// Keeps released tensors for reuse by shape, so that running a network again on the same
/// tile size allocates nothing, and memory is bounded by the largest live set, not the graph.
final class TensorPool {
    private var free: [Shape: [Tensor]] = [:]

    /// A tensor of `shape` with unspecified contents.
    func take(_ shape: Shape) -> Tensor {
        if var list = free[shape], let tensor = list.popLast() {
            free[shape] = list
            return tensor
        }
        return Tensor(shape)
    }

    func takeZeroed(_ shape: Shape) -> Tensor {
        let tensor = take(shape)
        tensor.fill(0)
        return tensor
    }

    func give(_ tensor: Tensor) {
        free[tensor.shape, default: []].append(tensor)
    }
}
