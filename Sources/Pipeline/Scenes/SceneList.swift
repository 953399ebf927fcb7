import Media

/// One shot: a run of consecutive frames between two cuts.
public struct Scene: Codable, Equatable, Sendable {
    /// Position in the film, from 0.
    public var index: Int
    public var firstFrame: Int
    public var frameCount: Int
    /// Presentation time of the first frame, in seconds, as the stream stores it (not shifted to
    /// start at 0: a DVD's first frame may be shown at 0.533 s).
    public var startTime: Double
    /// When the last frame stops being shown: its presentation time plus its duration.
    public var endTime: Double

    public var lastFrame: Int { firstFrame + frameCount - 1 }
}

/// How frame `frame` compares with the frame before it.
public struct FrameScore: Codable, Equatable, Sendable {
    public var frame: Int
    public var time: Double
    /// Mean V, 0-255.
    public var brightness: Double
    /// Content difference from the last frame compared (0-255); nil for the first frame and for
    /// black frames, which are not compared.
    public var score: Double?
}

/// Where a film's scenes are, how they were found, and the difference score of every frame.
public struct SceneList: Codable, Equatable, Sendable {
    public var file: String
    public var options: SceneDetectionOptions
    public var frameCount: Int
    public var scenes: [Scene]
    public var frames: [FrameScore]
    /// Frames from a damaged stretch of the file (decoded with errors, or shown in place of
    /// pictures lost there), and how many pictures were lost; nil when the file decoded cleanly.
    public var damage: DecodingDamage?

    public init(file: String, options: SceneDetectionOptions, frameCount: Int, scenes: [Scene], frames: [FrameScore],
                damage: DecodingDamage? = nil) {
        self.damage = damage
        self.file = file
        self.options = options
        self.frameCount = frameCount
        self.scenes = scenes
        self.frames = frames
    }

    /// The first frame of every scene, 0 included.
    public var cuts: [Int] { scenes.map(\.firstFrame) }

    /// The scene frame `frame` belongs to.
    public func scene(containing frame: Int) -> Scene? {
        scenes.last { $0.firstFrame <= frame }.flatMap { frame <= $0.lastFrame ? $0 : nil }
    }
}
