import Media

/// Finds the cuts in a film: content-based, like PySceneDetect's ContentDetector, made robust to
/// the flicker, grain and dust of old film (see SceneDetectionOptions and SceneCutTracker).
///
///     let scenes = try SceneDetector(SceneDetectionOptions()).detect(path: "reel.mp4")
///     for scene in scenes.scenes { ... scene.firstFrame, scene.frameCount, scene.startTime ... }
public struct SceneDetector: Sendable {
    public let options: SceneDetectionOptions

    public init(_ options: SceneDetectionOptions = SceneDetectionOptions()) {
        self.options = options
    }

    /// Reads the file's main video stream once, frame by frame (memory does not grow with its
    /// length), emitting the frames done as "scenes" progress.
    /// With `filters`, the scenes are those of the filtered pictures (deinterlaced, inverse telecined).
    public func detect(path: String, filters: FilterPlan? = nil, events: JobEvents = { _ in }) throws -> SceneList {
        try options.validate()
        let reader = try VideoFrameReader(path: path, filters: filters)
        var tracker = SceneCutTracker(options: options)
        while let frame = try reader.next() {
            tracker.add(frame)
            events(.progress(JobProgress(stage: "scenes", done: frame.index + 1, total: nil, detail: "\(tracker.scenes.count + 1) scenes")))
        }
        events(.stageFinished("scenes"))
        tracker.finish()
        guard !tracker.frames.isEmpty else { throw MediaError(path, "has no video frames") }
        return SceneList(file: path, options: options, frameCount: tracker.frames.count,
                         scenes: tracker.scenes, frames: tracker.frames, damage: reader.damage)
    }
}
