/// What decides where scene detection puts cuts. Stored with every scene list, so a list says
/// how it was made.
public struct SceneDetectionOptions: Codable, Equatable, Sendable {
    /// A frame starts a new scene when its content difference from the frame before reaches
    /// this (0-255 scale, the mean of the H, S and V differences; PySceneDetect's default).
    public var threshold: Double = 27
    /// No scene is shorter than this many frames, except possibly the last.
    public var minimumSceneLength = 15
    /// Frames are box-averaged by a whole factor down to about this width before comparison:
    /// it averages away grain and dust, and makes comparison cheap.
    public var analysisWidth = 64
    /// Scale each frame's V (brightness) to the previous frame's mean before comparing, so that
    /// flicker (a global brightness change from frame to frame) is not mistaken for a cut.
    public var compensatesFlicker = true
    /// Frames whose mean V (0-255) is below this count as black: they are not compared, and a
    /// fade through black is judged by the frames on either side of the black (one cut at most).
    public var blackLevel: Double = 16

    public init(threshold: Double = 27, minimumSceneLength: Int = 15) {
        self.threshold = threshold
        self.minimumSceneLength = minimumSceneLength
    }

    /// One line naming the first option that cannot work.
    public func validate() throws {
        guard threshold > 0, threshold.isFinite else { throw PipelineError("scene threshold \(threshold): must be greater than 0") }
        guard minimumSceneLength >= 1 else { throw PipelineError("minimum scene length \(minimumSceneLength): must be at least 1 frame") }
        guard analysisWidth >= 1 else { throw PipelineError("scene analysis width \(analysisWidth): must be at least 1 pixel") }
        guard blackLevel >= 0 else { throw PipelineError("black level \(blackLevel): must not be negative") }
    }
}
