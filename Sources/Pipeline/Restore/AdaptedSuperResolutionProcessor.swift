import Engine
import Media

/// Upscales every frame with the weights adapted for its scene: the right set is loaded when
/// the film crosses into a scene of another adaptation unit. For an output scale below the
/// model's, the result is shrunk by area averaging (the x4 network's detail, then a clean 2x).
package final class AdaptedSuperResolutionProcessor: FrameProcessor {
    /// The weights the model can hold: as loaded before any adaptation, or a unit's adapted set.
    enum Weights: Equatable {
        case pretrained
        case adapted(unit: Int)
    }

    let unitOfFrame: (Int) -> Int
    private let upscaler: TiledUpscaler
    private let outputScale: Int
    private let pretrained: WeightSet
    private let weightsFile: (Int) -> String
    private var loaded: Weights?

    /// `pretrained`: the model's weights before adaptation.
    init(upscaler: TiledUpscaler, outputScale: Int, pretrained: WeightSet, unitOfFrame: @escaping (Int) -> Int,
         weightsFile: @escaping (Int) -> String) {
        self.upscaler = upscaler
        self.outputScale = outputScale
        self.pretrained = pretrained
        self.unitOfFrame = unitOfFrame
        self.weightsFile = weightsFile
    }

    package func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        (width * outputScale, height * outputScale)
    }

    package func process(_ frame: DecodedFrame) throws -> RGBImage {
        try upscale(frame.image, with: .adapted(unit: unitOfFrame(frame.index)))
    }

    /// `image` upscaled as rendering does it, with the chosen weights (loaded only when they change).
    func upscale(_ image: RGBImage, with weights: Weights) throws -> RGBImage {
        if weights != loaded {
            let graph = upscaler.model.graph
            switch weights {
            case .pretrained:
                graph.load(pretrained)
            case .adapted(let unit):
                try Checkpoint.load(weightsFile(unit), into: graph.parameters)
            }
            loaded = weights
        }
        guard outputScale != upscaler.model.scale else { return try upscaler.upscale(image) }
        let result = try upscaler.upscale(Tensor(image))
        return RGBImage(Resize.apply(.area, to: result, height: image.height * outputScale, width: image.width * outputScale))
    }
}
