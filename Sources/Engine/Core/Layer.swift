/// One layer of a network: a forward pass and the matching backward pass.
///
/// `forward` writes its outputs into tensors the graph allocated from `outputShapes`.
/// `backward` receives the gradients of the loss with respect to the outputs and ADDS the
/// gradients with respect to its inputs into `inputGradients` (nil where an input needs none)
/// and those of its trainable parameters into their `gradient`. Inputs and outputs of the
/// forward pass are still available then.
public protocol Layer: AnyObject {
    /// Name of the kind of layer, for messages.
    var kind: String { get }
    var parameters: [Parameter] { get }
    func outputShapes(for inputs: [Shape]) throws -> [Shape]
    func forward(_ inputs: [Tensor], _ outputs: [Tensor])
    func backward(inputs: [Tensor], outputs: [Tensor], outputGradients: [Tensor], inputGradients: [Tensor?])
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
