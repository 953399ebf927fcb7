import Foundation
import Pipeline

/// The learning-rate schedule FilmSR's pretraining runs share: a cosine from the peak at step 0
/// down to a tenth of it at the last step (a tenth, not zero, so late steps still learn).
enum CosineDecay {
    static func learningRate(peak: Float, step: Int, steps: Int) -> Float {
        let progress = Float(step) / Float(max(1, steps - 1))
        return peak * (0.1 + 0.9 * 0.5 * (1 + cos(Float.pi * progress)))
    }
}
