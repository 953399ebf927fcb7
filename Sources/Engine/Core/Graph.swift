/// A network as a list of operations over numbered blobs (feature maps), in execution order.
///
/// `forward` runs it; with `training` it keeps every activation so that `backward` can walk
/// the operations in reverse, accumulating blob gradients, parameter gradients included.
/// Without it, each blob is released as soon as its last reader has run.
public final class Graph {
    public struct Node {
        public let name: String
        public let layer: Layer
        public let inputs: [Int]
        public let outputs: [Int]
    }

    public private(set) var nodes: [Node] = []
    public private(set) var blobNames: [String] = []
    public private(set) var inputBlobs: [Int] = []
    public var outputBlobs: [Int] = []

    private let pool = TensorPool()
    /// Scratch memory every layer of this graph shares.
    public let workspace = Workspace()
    private var activations: [Tensor?] = []
    private var trainingPass = false

    public init() {}

    public func addInput(_ name: String) -> Int {
        let blob = newBlob(name)
        inputBlobs.append(blob)
        return blob
    }

    /// Appends an layer reading `inputs`; returns its output blobs.
    @discardableResult
    public func add(_ layer: Layer, name: String, inputs: [Int], outputCount: Int = 1) -> [Int] {
        let outputs = (0..<outputCount).map { newBlob(outputCount == 1 ? name : "\(name).\($0)") }
        if let user = layer as? WorkspaceUser { user.workspace = workspace }
        nodes.append(Node(name: name, layer: layer, inputs: inputs, outputs: outputs))
        return outputs
    }

    /// Convenience for single-output operations.
    public func add(_ layer: Layer, name: String, _ inputs: Int...) -> Int {
        add(layer, name: name, inputs: inputs)[0]
    }

    private func newBlob(_ name: String) -> Int {
        blobNames.append(name)
        return blobNames.count - 1
    }

    /// Every parameter, in node order.
    public var parameters: [Parameter] { nodes.flatMap { $0.layer.parameters } }

    public func shapes(for inputShapes: [Shape]) throws -> [Shape?] {
        var shapes = [Shape?](repeating: nil, count: blobNames.count)
        for (blob, shape) in zip(inputBlobs, inputShapes) { shapes[blob] = shape }
        for node in nodes {
            let inputs = try node.inputs.map { blob -> Shape in
                guard let shape = shapes[blob] else { throw EngineError("\(node.name): input '\(blobNames[blob])' is never computed") }
                return shape
            }
            let outputs: [Shape]
            do { outputs = try node.layer.outputShapes(for: inputs) } catch {
                throw EngineError("\(node.name) (\(node.layer.kind)): \(error)")
            }
            for (blob, shape) in zip(node.outputs, outputs) { shapes[blob] = shape }
        }
        return shapes
    }

    /// Runs the network. The returned tensors belong to the caller.
    public func forward(_ inputs: [Tensor], training: Bool = false) throws -> [Tensor] {
        precondition(inputs.count == inputBlobs.count, "graph takes \(inputBlobs.count) inputs")
        releaseActivations()
        trainingPass = training
        let shapes = try self.shapes(for: inputs.map(\.shape))
        activations = [Tensor?](repeating: nil, count: blobNames.count)
        for (blob, tensor) in zip(inputBlobs, inputs) { activations[blob] = tensor }
        let lastUse = lastReaders()
        let steps = training ? nodes.indices.map { GraphStep($0, nodes[$0]) } : inferenceSteps(shapes: shapes, lastUse: lastUse)
        for step in steps {
            // `shapes` has checked that every input is computed before it is read.
            let written = nodes[step.nodes.upperBound].outputs
            let outputTensors = written.map { pool.take(shapes[$0]!) }
            step.run(step.inputs.map { activations[$0]! }, outputTensors)
            for (blob, tensor) in zip(written, outputTensors) { activations[blob] = tensor }
            if !training {
                for blob in Set(step.inputs) where step.nodes.contains(lastUse[blob]) { release(blob) }
            }
        }
        let results = try outputBlobs.map { blob -> Tensor in
            guard let tensor = activations[blob] else { throw EngineError("output '\(blobNames[blob])' is never computed") }
            return tensor
        }
        if !training {
            // Outputs leave the graph: forget them so the pool never hands them out again.
            for blob in outputBlobs { activations[blob] = nil }
        }
        return results
    }

    /// Index of the last node reading each blob (Int.max for the graph's inputs and outputs),
    /// so that inference can release a blob as soon as it has been read for the last time.
    private func lastReaders() -> [Int] {
        var lastUse = [Int](repeating: -1, count: blobNames.count)
        for (index, node) in nodes.enumerated() { for blob in node.inputs { lastUse[blob] = index } }
        for blob in outputBlobs + inputBlobs { lastUse[blob] = Int.max }
        return lastUse
    }

    /// The nodes as inference runs them for inputs of `inputShapes`: alone, or several as one
    /// step where a fusion applies (`LayerFusion`).
    func inferenceSteps(inputShapes: [Shape]) throws -> [ClosedRange<Int>] {
        inferenceSteps(shapes: try shapes(for: inputShapes), lastUse: lastReaders()).map(\.nodes)
    }

    private func inferenceSteps(shapes: [Shape?], lastUse: [Int]) -> [GraphStep] {
        let site = LayerFusion.Site(nodes: nodes, shapes: shapes, lastUse: lastUse)
        var steps: [GraphStep] = []
        var index = 0
        while index < nodes.count {
            steps.append(LayerFusion.step(at: index, in: site))
            index = steps[steps.count - 1].nodes.upperBound + 1
        }
        return steps
    }

    /// Back-propagates the gradients of the loss with respect to the outputs of the last
    /// training forward pass. Returns the gradients with respect to the inputs.
    @discardableResult
    public func backward(_ outputGradients: [Tensor]) -> [Tensor] {
        precondition(trainingPass, "backward needs a forward pass with training: true")
        var gradients = [Tensor?](repeating: nil, count: blobNames.count)
        func gradient(_ blob: Int) -> Tensor {
            if let existing = gradients[blob] { return existing }
            let created = pool.takeZeroed(activations[blob]!.shape)
            gradients[blob] = created
            return created
        }
        for (blob, tensor) in zip(outputBlobs, outputGradients) { gradient(blob).add(tensor) }
        for node in nodes.reversed() {
            guard node.outputs.contains(where: { gradients[$0] != nil }) else { continue }
            let outputGradients = node.outputs.map { gradient($0) }
            let inputGradients: [Tensor?] = node.inputs.map { gradient($0) }
            node.layer.backward(inputs: node.inputs.map { activations[$0]! }, outputs: node.outputs.map { activations[$0]! },
                                    outputGradients: outputGradients, inputGradients: inputGradients)
            for blob in node.outputs where !inputBlobs.contains(blob) {
                if let used = gradients[blob] { pool.give(used) }
                gradients[blob] = nil
            }
        }
        return inputBlobs.map { gradient($0) }
    }

    /// Sets every parameter's gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.fill(0) }
    }

    /// Hands outputs of `forward` back once the caller is done with them: the next inference
    /// of the same size takes them instead of new memory (a tiled frame's outputs are megabytes
    /// each, and fresh pages cost a fault apiece).
    public func recycle(_ outputs: [Tensor]) {
        for tensor in outputs { pool.give(tensor) }
    }

    private func release(_ blob: Int) {
        if let tensor = activations[blob], !inputBlobs.contains(blob) { pool.give(tensor) }
        activations[blob] = nil
    }

    private func releaseActivations() {
        for blob in activations.indices where !inputBlobs.contains(blob) && !outputBlobs.contains(blob) { release(blob) }
        activations = []
    }
}
