import Engine
import Foundation
import Media
import Pipeline

/// Every `step`-th frame of a film and the same frame of its clean reference, held in memory, so
/// that a model can be measured on them many times during one adaptation. The measure is the
/// restore benchmarks' (RestoreBenchmark): each frame upscaled as rendering does it and rounded
/// to 8 bits as the FFV1 file they measure stores it, then the mean over scenes of the
/// per-scene means.
struct EvaluationFrames {
    struct Frame {
        var index: Int
        var lr: RGBImage
        var reference: Tensor
    }

    let frames: [Frame]

    /// Frames 0, step, 2 step, ... of `input`, which must have as many frames as `reference`
    /// and be `scale` times smaller.
    init(input: String, reference: String, step: Int, scale: Int) throws {
        let lowResolution = try VideoFrameReader(path: input), clean = try VideoFrameReader(path: reference)
        var frames: [Frame] = []
        var count = 0
        while let frame = try lowResolution.next() {
            guard let truth = try clean.next() else { throw MediaError(reference, "has fewer frames than \(input) (\(count))") }
            count += 1
            guard frame.index % step == 0 else { continue }
            guard truth.image.width == frame.image.width * scale, truth.image.height == frame.image.height * scale else {
                throw MediaError(reference, "frames are \(truth.image.width)x\(truth.image.height), not \(scale) times \(input)'s \(frame.image.width)x\(frame.image.height)")
            }
            frames.append(Frame(index: frame.index, lr: frame.image, reference: Tensor(truth.image)))
        }
        if try clean.next() != nil { throw MediaError(reference, "has more frames than \(input) (\(count))") }
        self.frames = frames
    }

    var indices: [Int] { frames.map(\.index) }

    /// The quality of `processor`'s rendering of the frames, per scene (scenes without an
    /// evaluated frame left out) and as the mean over those scenes.
    func measure(_ processor: SuperResolutionProcessor, scenes: [Scene], lpips: LPIPS, niqe: NIQE?) throws
        -> (scenes: [VideoComparison.Summary], mean: VideoComparison.Summary) {
        let qualities = try frames.map { frame in
            let rendered = Self.roundedTo8Bits(try processor.upscale(frame.lr))
            return try VideoComparison.quality(of: Tensor(rendered), frame: frame.index, reference: frame.reference, lpips: lpips, niqe: niqe)
        }
        let perScene = scenes.map { scene in qualities.filter { (scene.firstFrame...scene.lastFrame).contains($0.frame) } }
            .filter { !$0.isEmpty }.map { VideoComparison.Summary($0[...]) }
        return (perScene, VideoComparison.Summary(meanOf: perScene))
    }

    /// What an 8-bit RGB file holds of `image`, read back as the decoder gives it (k / 255).
    static func roundedTo8Bits(_ image: RGBImage) -> RGBImage {
        var result = image
        for i in result.pixels.indices { result.pixels[i] = (min(max(result.pixels[i], 0), 1) * 255 + 0.5).rounded(.down) * (1 / 255) }
        return result
    }
}
