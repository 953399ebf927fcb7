/// A layer that, at inference, can do the work of the layer after it while writing its own
/// output, saving a pass over memory and the tensor in between (a convolution absorbs the
/// PReLU that follows it). Training runs them apart: backward needs the values in between.
protocol AbsorbsNextLayer: Layer {
    func canAbsorb(_ next: Layer) -> Bool
    /// Forward pass of this layer then `next` (one that `canAbsorb` accepted) into `next`'s outputs.
    func forward(_ inputs: [Tensor], absorbing next: Layer, _ outputs: [Tensor])
}

/// Consecutive nodes of a graph that inference runs as one operation: `run` reads the blobs of
/// `inputs` and writes the last node's outputs, and the blobs in between are never made.
struct GraphStep {
    let nodes: ClosedRange<Int>
    let inputs: [Int]
    let run: (_ inputs: [Tensor], _ outputs: [Tensor]) -> Void

    /// One node on its own.
    init(_ index: Int, _ node: Graph.Node) {
        self.init(nodes: index...index, inputs: node.inputs, run: node.layer.forward)
    }

    init(nodes: ClosedRange<Int>, inputs: [Int], run: @escaping ([Tensor], [Tensor]) -> Void) {
        self.nodes = nodes
        self.inputs = inputs
        self.run = run
    }
}

/// The fusions inference looks for, each at one node and the ones after it. A blob in between
/// may have no reader outside the fused nodes, nor be an output of the graph: `lastUse` (the
/// index of each blob's last reader, Int.max for the graph's outputs) says so, since nodes read
/// only blobs written before them.
enum LayerFusion {
    /// What a fusion sees of the graph: its nodes, every blob's shape for this inference, and
    /// each blob's last reader.
    struct Site {
        let nodes: [Graph.Node]
        let shapes: [Shape?]
        let lastUse: [Int]
    }

    /// The step starting at node `index`: the first fusion that applies, else the node alone.
    static func step(at index: Int, in site: Site) -> GraphStep {
        absorbedPair(at: index, in: site) ?? upsamplingTail(at: index, in: site) ?? GraphStep(index, site.nodes[index])
    }

    /// A layer and the next one, which it absorbs (`AbsorbsNextLayer`), being that one's only input.
    static func absorbedPair(at index: Int, in site: Site) -> GraphStep? {
        let nodes = site.nodes
        guard index + 1 < nodes.count, let fusing = nodes[index].layer as? AbsorbsNextLayer, nodes[index].outputs.count == 1,
            nodes[index + 1].inputs == nodes[index].outputs, site.lastUse[nodes[index].outputs[0]] == index + 1,
            fusing.canAbsorb(nodes[index + 1].layer)
        else { return nil }
        let next = nodes[index + 1].layer
        return GraphStep(nodes: index...index + 1, inputs: nodes[index].inputs) { fusing.forward($0, absorbing: next, $1) }
    }

    /// The tail of SRVGGNetCompact (Real-ESRGAN's compact models): a convolution, a pixel
    /// shuffle by r of its output, a nearest upsampling by r of another blob (the network's
    /// input), and the sum of the two. The convolution puts each value in its shuffled place and
    /// adds the input's value there (`Convolution.forward(_:shuffledBy:adding:into:)`), so that
    /// neither the shuffled nor the upsampled tensor is made and the full-size output is written
    /// once.
    static func upsamplingTail(at index: Int, in site: Site) -> GraphStep? {
        let nodes = site.nodes, lastUse = site.lastUse
        guard index + 3 < nodes.count,
            let convolution = nodes[index].layer as? Convolution, convolution.readsStackedChannels, nodes[index].inputs.count == 1,
            let shuffle = nodes[index + 1].layer as? PixelShuffle, !shuffle.inverse,
            nodes[index + 1].inputs == nodes[index].outputs, lastUse[nodes[index].outputs[0]] == index + 1,
            let resize = nodes[index + 2].layer as? Resize, resize.method == .nearest, nodes[index + 2].inputs.count == 1,
            let sum = nodes[index + 3].layer as? WeightedSum, sum.coefficients == [1, 1]
        else { return nil }
        let shuffled = nodes[index + 1].outputs[0], upsampled = nodes[index + 2].outputs[0], small = nodes[index + 2].inputs[0]
        guard Set(nodes[index + 3].inputs) == [shuffled, upsampled], lastUse[shuffled] == index + 3, lastUse[upsampled] == index + 3,
            let input = site.shapes[small], let output = site.shapes[shuffled], site.shapes[upsampled] == output,
            let before = site.shapes[nodes[index].outputs[0]], input == Shape(before.batch, output.channels, before.height, before.width)
        else { return nil }
        // The upsampling is exactly r x r copies of each input value: output = r x the input.
        let factor = shuffle.factor
        return GraphStep(nodes: index...index + 3, inputs: [nodes[index].inputs[0], small]) { inputs, outputs in
            convolution.forward(inputs[0], shuffledBy: factor, adding: inputs[1], into: outputs[0])
        }
    }
}
