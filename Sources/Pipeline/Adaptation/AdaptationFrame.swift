import Engine

/// An LR frame to adapt on (1 x 3 x h x w) and, for AdaptationTarget.neighbour, its neighbour
/// in the same shot.
public struct AdaptationFrame {
    public var frame: Tensor
    public var neighbour: Tensor?

    public init(_ frame: Tensor, neighbour: Tensor? = nil) {
        self.frame = frame
        self.neighbour = neighbour
    }
}
