import Engine

/// R: an HR picture and a degradation embedding -> the LR picture that degradation would make
/// of it, shape (n, 3, H / scale, W / scale).
///
/// DegAE's MSRResNet_Head at scale 1 (Liu et al., CVPR 2023), working at LR size: the HR
/// picture enters through the configured mapping (pixel unshuffle or bicubic shrink), then
/// conv -> width (LeakyReLU 0.1), then residual blocks, each followed by a StyleGAN2
/// modulated, demodulated 3x3 convolution (LeakyReLU 0.2) whose per-channel style is a 1x1
/// convolution of the embedding, then conv, LeakyReLU 0.1, conv -> 3. The result is added to a
/// fixed shrink of the HR picture (area mean for pixel unshuffle, the bicubic shrink itself
/// otherwise), so an untrained R starts at a plain downscale and learns the degradation on top.
/// With `residualGate`, that residual is first scaled by 2 sigmoid(w.e + b), one scale per item.
/// With `degradationBank`, the fixed shrink becomes a blend read from the embedding (softmax
/// weights) of blurred shrinks (LinearDegradationBank), starting at the area shrink.
enum Reconstructor {
    static func build(_ configuration: ReconstructionConfiguration, seed: UInt64) -> Graph {
        var builder = NetworkBuilder(prefix: "reconstructor", seed: seed)
        let leaky = Activation.leakyReLU(slope: 0.1)
        let width = configuration.width, scale = configuration.scale
        let hr = builder.input("hr")
        let embedding = builder.input("embedding")
        let shrink = 1 / Double(scale)
        let entry: Int, entryChannels: Int
        switch configuration.mapping {
        case .pixelUnshuffle:
            entry = builder.layer(PixelShuffle(factor: scale, inverse: true), "unshuffle", hr)
            entryChannels = 3 * scale * scale
        case .bicubic:
            entry = builder.layer(Resize(.bicubic, .scale(shrink)), "shrink", hr)
            entryChannels = 3
        }
        var x = builder.convolution(entry, "conv_first", from: entryChannels, to: width, activation: leaky)
        for block in 0..<configuration.reconstructorBlocks {
            x = builder.residualBlock(x, "block\(block)", channels: width)
            // Styles start at 1 (bias 1, small weights): the modulated convolution begins as a
            // plain one and learns how the embedding should bend it.
            let style = builder.convolution(embedding, "block\(block).style", from: configuration.embeddingSize, to: width,
                                            kernel: 1, initialScale: 0.1, initialBias: 1)
            let modulated = ModulatedConvolution(name: "reconstructor.block\(block).modulated", inputChannels: width, outputChannels: width,
                                                 kernel: 3, activation: .leakyReLU(slope: 0.2))
            WeightInitialisation.kaimingUniform(modulated, slope: 0.2, using: &builder.generator)
            x = builder.graph.add(modulated, name: "block\(block).modulated", inputs: [x, style])[0]
        }
        x = builder.convolution(x, "conv_hr", from: width, to: width, activation: leaky)
        x = builder.convolution(x, "conv_last", from: width, to: 3, initialScale: 0.1)
        if configuration.residualGate {
            // Zero weights and bias: the gate starts at exactly 1, R as it was.
            let logit = builder.convolution(embedding, "gate", from: configuration.embeddingSize, to: 1, kernel: 1, initialScale: 0)
            x = builder.layer(SigmoidGate(ceiling: 2), "gated", x, logit)
        }
        let base: Int
        if configuration.degradationBank {
            // Built after the trunk, whose weights then draw the same numbers as without it.
            // A softmax blend (a mixture of blur kernels stays one, whatever the logits). Zero
            // weights, the bias all on the plain area shrink: an untrained blend is the old
            // base within 0.1%. The logits are the 1x1 convolution's output times
            // `LinearDegradationBank.logitScale`, so that Adam, whose steps are about the
            // learning rate whatever the gradient, moves the blend as fast as R's trunk learns.
            let bank = LinearDegradationBank(scale: scale)
            let candidates = builder.layer(bank.layer, "bank", hr)
            let logitScale = LinearDegradationBank.logitScale
            let raw = builder.convolution(embedding, "bank_logits", from: configuration.embeddingSize, to: bank.filters.count,
                                          kernel: 1, initialScale: 0)
            builder.graph.parameters.first { $0.name == "reconstructor.bank_logits.bias" }!.value.buffer[LinearDegradationBank.areaIndex] = 10 / logitScale
            let logits = builder.layer(WeightedSum(coefficients: [logitScale]), "bank_logits_scaled", raw)
            let blend = builder.layer(ChannelSoftmax(), "bank_weights", logits)
            base = builder.layer(ItemMix(), "bank_blend", candidates, blend)
        } else {
            base = configuration.mapping == .bicubic ? entry : builder.layer(Resize(.area, .scale(shrink)), "base", hr)
        }
        x = builder.add([base, x], "output")
        return builder.finish(outputs: [x])
    }
}
