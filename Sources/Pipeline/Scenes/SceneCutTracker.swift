import Media

/// Decides cuts as frames stream past, keeping only a few frames' thumbnails, so memory does
/// not grow with the film (only the per-frame scores do, a few numbers a frame).
///
/// A frame starts a new scene when its content difference from the frame before reaches the
/// threshold and the current scene has at least the minimum length.
///
/// Fades: black frames (mean V below the black level) are never compared. A fade out to black
/// and in again is judged as a whole: the picture from before the fade-out began (the last
/// frame that was not darker than its predecessor) is compared with the picture where the
/// fade-in ends (the first frame that is no longer getting brighter). When they differ by the
/// threshold there is one cut, at the first frame after the black (the black stays with the
/// scene that faded out), and none when the same shot comes back. Comparing the dim frames on
/// either side of the black instead would compare noise and quantisation. A fade that never
/// reaches black is a gradual gain, which flicker compensation already ignores.
struct SceneCutTracker {
    let options: SceneDetectionOptions
    private(set) var scenes: [Scene] = []
    private(set) var frames: [FrameScore] = []
    private var reduction: Int?
    /// The last frame that was not black.
    private var previous: (thumbnail: HSVThumbnail, brightness: Double)?
    /// The last frame that was not darker than the one before it: where a fade-out began.
    private var beforeFadeOut: HSVThumbnail?
    private var sawBlack = false
    /// Set from the first frame after black until the picture stops getting brighter.
    private var fadeIn: (firstFrame: Int, beforeFadeOut: HSVThumbnail?)?
    private var sceneStart: (frame: Int, time: Double)?
    private var lastEndTime = 0.0

    /// A frame brighter than its predecessor by more than this factor is still fading in.
    private static let brighteningStep = 1.01

    init(options: SceneDetectionOptions) {
        self.options = options
    }

    mutating func add(_ frame: DecodedFrame) {
        let reduction = reduction ?? HSVThumbnail.reduction(width: frame.image.width, targetWidth: options.analysisWidth)
        self.reduction = reduction
        let thumbnail = HSVThumbnail(frame.image, reduction: reduction)
        let brightness = thumbnail.meanValue
        frames.append(FrameScore(frame: frame.index, time: frame.time, brightness: brightness, score: nil))
        if sceneStart == nil { sceneStart = (frame.index, frame.time) }
        defer { lastEndTime = frame.time + frame.seconds }

        guard brightness >= options.blackLevel else {
            sawBlack = true
            return
        }
        if sawBlack {
            sawBlack = false
            fadeIn = (frame.index, previous == nil ? nil : beforeFadeOut)
        } else if let previous {
            if let fade = fadeIn, brightness <= previous.brightness * Self.brighteningStep {
                fadeIn = nil
                judgeFade(startingAt: fade.firstFrame, from: fade.beforeFadeOut, to: previous.thumbnail)
            }
            let score = difference(previous.thumbnail, thumbnail)
            frames[frame.index].score = score
            if fadeIn == nil && score >= options.threshold { cut(at: frame.index) }
        }
        if brightness >= previous?.brightness ?? 0 { beforeFadeOut = thumbnail }
        previous = (thumbnail, brightness)
    }

    /// Ends the last scene; call once, after the last frame.
    mutating func finish() {
        if let fade = fadeIn, let previous {
            judgeFade(startingAt: fade.firstFrame, from: fade.beforeFadeOut, to: previous.thumbnail)
        }
        fadeIn = nil
        if let start = sceneStart, frames.count > start.frame { closeScene(endingBefore: frames.count) }
        sceneStart = nil
    }

    private func difference(_ earlier: HSVThumbnail, _ later: HSVThumbnail) -> Double {
        ContentDifference(from: earlier, to: later, compensatingGain: options.compensatesFlicker).score
    }

    /// The fade's score is stored on its first frame after the black, which has no other.
    private mutating func judgeFade(startingAt firstFrame: Int, from before: HSVThumbnail?, to after: HSVThumbnail) {
        guard let before else { return }
        let score = difference(before, after)
        frames[firstFrame].score = score
        if score >= options.threshold { cut(at: firstFrame) }
    }

    private mutating func cut(at frame: Int) {
        guard let start = sceneStart, frame - start.frame >= options.minimumSceneLength else { return }
        closeScene(endingBefore: frame)
        sceneStart = (frame, frames[frame].time)
    }

    private mutating func closeScene(endingBefore frame: Int) {
        guard let start = sceneStart else { return }
        let end = frame < frames.count ? frames[frame].time : lastEndTime
        scenes.append(Scene(index: scenes.count, firstFrame: start.frame, frameCount: frame - start.frame,
                            startTime: start.time, endTime: end))
    }
}
