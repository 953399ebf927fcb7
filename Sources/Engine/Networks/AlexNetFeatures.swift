import Foundation

/// torchvision's AlexNet `features` as LPIPS uses them: five convolutions with ReLU (fused),
/// max pooling 3/2 after the first two, and the outputs of the five ReLUs as the graph's
/// outputs ("taps"). The input is LPIPS-scaled RGB: `LPIPSScaling` runs first, inside the graph.
/// Parameter names follow assets/lpips/alexnet.safetensors (alexnet.conv1.weight, ...).
public enum AlexNetFeatures {
    struct Stage {
        let outputChannels: Int
        let kernel: Int
        let stride: Int
        let padding: Int
        let poolsBefore: Bool
    }

    static let stages = [
        Stage(outputChannels: 64, kernel: 11, stride: 4, padding: 2, poolsBefore: false),
        Stage(outputChannels: 192, kernel: 5, stride: 1, padding: 2, poolsBefore: true),
        Stage(outputChannels: 384, kernel: 3, stride: 1, padding: 1, poolsBefore: true),
        Stage(outputChannels: 256, kernel: 3, stride: 1, padding: 1, poolsBefore: false),
        Stage(outputChannels: 256, kernel: 3, stride: 1, padding: 1, poolsBefore: false),
    ]

    /// Channels of the five taps.
    public static var tapChannels: [Int] { stages.map(\.outputChannels) }

    /// A graph from RGB in [0, 1] to the taps of the first `stageCount` stages (all five by
    /// default), every parameter frozen.
    static func makeGraph(stageCount: Int = stages.count) -> Graph {
        let graph = Graph()
        var blob = graph.add(LPIPSScaling(), name: "scaling", graph.addInput("rgb"))
        var channels = 3
        var taps: [Int] = []
        for (index, stage) in stages.prefix(stageCount).enumerated() {
            if stage.poolsBefore {
                blob = graph.add(Pooling(.max, kernel: 3, stride: 2), name: "pool\(index)", blob)
            }
            let name = "alexnet.conv\(index + 1)"
            let conv = Convolution(name: name, inputChannels: channels, outputChannels: stage.outputChannels,
                                   geometry: ConvolutionGeometry(kernel: stage.kernel, stride: stage.stride, padding: stage.padding),
                                   activation: .relu)
            // Feature maps here are small (15x15 at most from a 64x64 input) and Winograd transforms
            // its filters once per batch item: measured 8x slower than im2col for 8 x 64x64.
            conv.allowsWinograd = false
            blob = graph.add(conv, name: name, blob)
            taps.append(blob)
            channels = stage.outputChannels
        }
        graph.outputBlobs = taps
        for parameter in graph.parameters { parameter.isTrainable = false }
        return graph
    }

    /// The first `stageCount` stages with the weights of an LPIPS file (LPIPS.load's), frozen:
    /// a fixed, established image encoder for uses other than LPIPS itself.
    public static func load(from path: String, stageCount: Int) throws -> Graph {
        precondition((1...stages.count).contains(stageCount), "AlexNet has \(stages.count) stages")
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError("\(path): LPIPS weights are missing; run scripts/setup.sh (or scripts/fetch-lpips.sh)")
        }
        let graph = makeGraph(stageCount: stageCount)
        try Checkpoint.load(path, into: graph.parameters)
        return graph
    }
}
