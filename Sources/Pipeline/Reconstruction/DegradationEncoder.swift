import Engine

/// E: an LR picture -> its degradation embedding, shape (n, embeddingSize, 1, 1).
///
/// DegAE's encoder (Liu et al., CVPR 2023): a feature extractor at LR size (conv 3 -> width,
/// LeakyReLU 0.1, residual blocks), then three 4x4 stride-2 unpadded convolutions to 128, 256
/// and 512 channels (LeakyReLU 0.1), a global average pool (so any LR size from 22x22 up
/// gives one vector), and three 1x1 convolutions, LeakyReLU after the first two.
enum DegradationEncoder {
    /// Smallest LR side the three unpadded stride-2 convolutions accept.
    static let minimumInputSize = 22

    static func build(_ configuration: ReconstructionConfiguration, seed: UInt64) -> Graph {
        var builder = NetworkBuilder(prefix: "encoder", seed: seed)
        let leaky = Activation.leakyReLU(slope: 0.1)
        let width = configuration.width
        var x = builder.input("lr")
        x = builder.convolution(x, "features.conv_first", from: 3, to: width, activation: leaky)
        for block in 0..<configuration.encoderBlocks {
            x = builder.residualBlock(x, "features.block\(block)", channels: width)
        }
        var channels = width
        for (index, next) in [128, 256, 512].enumerated() {
            x = builder.convolution(x, "head.down\(index)", from: channels, to: next, kernel: 4, stride: 2, padding: 0, activation: leaky)
            channels = next
        }
        x = builder.layer(GlobalAveragePool(), "head.pool", x)
        x = builder.convolution(x, "head.mlp0", from: 512, to: 512, kernel: 1, activation: leaky)
        x = builder.convolution(x, "head.mlp1", from: 512, to: 512, kernel: 1, activation: leaky)
        x = builder.convolution(x, "head.embedding", from: 512, to: configuration.embeddingSize, kernel: 1)
        return builder.finish(outputs: [x])
    }
}
