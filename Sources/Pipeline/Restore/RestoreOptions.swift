/// How many scenes share one adapted set of weights.
public enum AdaptationGranularity: String, Codable, CaseIterable, Sendable {
    /// Every scene adapts on its own frames (LWay's per-image setting: best quality).
    case scene
    /// Scenes whose degradation embeddings E(LR) are close share one adaptation (most of the
    /// quality at a fraction of the cost on long films whose scenes share a source).
    case group
    /// One adaptation for the whole clip.
    case clip
}

/// Everything that decides what `filmsr restore` computes. Stored in the work folder: a job
/// resumes only with the same options.
public struct RestoreOptions: Codable, Equatable, Sendable {
    public var model = "compact-x4"
    /// 2 or 4 (the x4 result shrunk by area averaging for 2); nil keeps the model's scale.
    public var outputScale: Int?
    public var granularity = AdaptationGranularity.scene
    /// Largest cosine distance between a scene's embedding and its group's for `group`.
    public var groupThreshold = 0.05
    /// Frames sampled per scene for adaptation (evenly spread, near-duplicates skipped).
    public var framesPerScene = 8
    public var adaptation = AdaptationOptions()
    /// Whether, and which, adapted weights are rendered (AcceptanceGate).
    public var acceptance = AcceptanceOptions()
    public var scenes = SceneDetectionOptions()
    public var tileSize = 192
    /// Deflicker scene by scene over this many frames before adaptation (SceneDeflicker); nil: off.
    public var deflickerWindow: Int?

    public init() {}
}
