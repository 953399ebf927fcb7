/// A trainable tensor with its gradient. Frozen parameters take part in the forward and
/// backward passes (gradients still flow through them to earlier layers) but the optimiser
/// leaves them alone and no gradient is accumulated for them.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let value: Tensor
    public let gradient: Tensor
    public var isTrainable: Bool

    public init(name: String, _ value: Tensor, trainable: Bool = true) {
        self.name = name
        self.value = value
        gradient = Tensor(value.shape)
        isTrainable = trainable
    }

    public var shape: Shape { value.shape }
}
