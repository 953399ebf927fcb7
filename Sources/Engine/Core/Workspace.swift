/// Scratch memory shared by the layers of one graph (im2col columns, masked gradients):
/// layers run one at a time, so one buffer of the largest size serves them all, and it is
/// allocated once instead of once per layer.
public final class Workspace {
    private var buffers = [Tensor?](repeating: nil, count: 6)

    public init() {}

    /// Buffer `slot` (0 to 5) with room for `count` floats; contents unspecified.
    func buffer(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        if let existing = buffers[slot], existing.count >= count { return existing.data }
        let created = Tensor(Shape(1, 1, 1, count))
        buffers[slot] = created
        return created.data
    }
}

/// A layer that borrows scratch memory from its graph's workspace.
public protocol WorkspaceUser: AnyObject {
    var workspace: Workspace { get set }
}
