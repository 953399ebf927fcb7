import Engine
import Media

/// Upscales every frame with the weights adapted for its scene: the right set is loaded when
/// the film crosses into a scene of another adaptation unit. For an output scale below the
/// model's, the result is shrunk by area averaging (the x4 network's detail, then a clean 2x).
final class AdaptedSuperResolutionProcessor: FrameProcessor {
    private let upscaler: TiledUpscaler
    private let outputScale: Int
    private let unitOfFrame: (Int) -> Int
    private let weightsFile: (Int) -> String
    private var loadedUnit: Int?

    init(upscaler: TiledUpscaler, outputScale: Int, unitOfFrame: @escaping (Int) -> Int, weightsFile: @escaping (Int) -> String) {
        self.upscaler = upscaler
        self.outputScale = outputScale
        self.unitOfFrame = unitOfFrame
        self.weightsFile = weightsFile
    }

    func outputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        (width * outputScale, height * outputScale)
    }

    func process(_ frame: DecodedFrame) throws -> RGBImage {
        let unit = unitOfFrame(frame.index)
        if unit != loadedUnit {
            try Checkpoint.load(weightsFile(unit), into: upscaler.model.graph.parameters)
            loadedUnit = unit
        }
        var result = try upscaler.upscale(Tensor(frame.image))
        if outputScale != upscaler.model.scale {
            result = Resize.apply(.area, to: result, height: frame.image.height * outputScale, width: frame.image.width * outputScale)
        }
        return RGBImage(result)
    }
}
