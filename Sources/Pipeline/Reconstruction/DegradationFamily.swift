/// The kinds of degradation the LR reconstruction branch is pretrained on. Each makes LR at
/// 1/scale of the HR size, and each is distinct enough for the degradation encoder to tell apart.
public enum DegradationFamily: String, CaseIterable, Codable, Sendable {
    /// A Real-ESRGAN blur kernel, then downscaling: nothing else.
    case blur
    /// Downscaling, then Gaussian or Poisson noise, colour or grey.
    case noise
    /// Downscaling, then JPEG at quality 30-95.
    case jpeg
    /// Telecine softness, downscaling, film grain, flicker, dust and scratches, maybe a light JPEG.
    case film
    /// Downscaling, then one or two MPEG-2 / H.264 generations at low bit rates.
    case codec
    /// Real-ESRGAN's second-order pipeline, half the time with the film stage woven in.
    case secondOrder

    /// How often `DegradationSynthesizer.degrade(_:seed:)` draws each family (sums to 1). The
    /// film-like families (film, secondOrder with its film stage) get more, as old film is
    /// what FilmSR restores; the single-cause families keep the encoder's axes well separated.
    public var trainingWeight: Double {
        switch self {
        case .blur, .noise, .jpeg, .codec: 0.15
        case .film, .secondOrder: 0.2
        }
    }
}
