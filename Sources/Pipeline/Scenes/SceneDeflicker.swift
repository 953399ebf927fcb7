import Foundation
import Media

/// Brightness and colour flicker taken out scene by scene, before adaptation learns from the
/// frames and before they are rendered: each frame's red, green and blue are scaled so that
/// their means follow the moving average of the means over `window` frames of the same scene.
/// The average never reaches across a cut, so a real change of light between shots stays
/// (FFmpeg's deflicker, which knows no cuts, would smear it over both shots).
public enum SceneDeflicker {
    /// From the channel means of every frame (`means[frame]`: red, green, blue) and the scenes.
    public static func gains(means: [[Double]], scenes: [Scene], window: Int) -> FrameGains {
        var gains = [[Float]](repeating: [1, 1, 1], count: means.count)
        let half = window / 2
        for scene in scenes where scene.firstFrame < means.count {
            let frames = scene.firstFrame...min(scene.lastFrame, means.count - 1)
            for frame in frames {
                let neighbours = max(frames.lowerBound, frame - half)...min(frames.upperBound, frame + half)
                gains[frame] = (0..<3).map { channel in
                    let target = neighbours.reduce(0) { $0 + means[$1][channel] } / Double(neighbours.count)
                    let mean = means[frame][channel]
                    // A black frame has no brightness to correct.
                    return mean > 1e-4 ? Float(target / mean) : 1
                }
            }
        }
        return FrameGains(gains)
    }

    /// Measures the channel means of every frame of `path` (through `filters`) in one decoding
    /// pass ("deflicker" progress), and returns their gains.
    public static func measure(_ path: String, filters: FilterPlan?, scenes: [Scene], window: Int,
                               events: JobEvents = { _ in }) throws -> FrameGains {
        let reader = try VideoFrameReader(path: path, filters: filters)
        var means: [[Double]] = []
        while let frame = try reader.next() {
            let plane = frame.image.width * frame.image.height
            means.append((0..<3).map { channel in
                frame.image.pixels[(channel * plane)..<((channel + 1) * plane)].reduce(0) { $0 + Double($1) } / Double(plane)
            })
            events(.progress(JobProgress(stage: "deflicker", done: means.count, total: scenes.last.map { $0.lastFrame + 1 })))
        }
        events(.stageFinished("deflicker"))
        return gains(means: means, scenes: scenes, window: window)
    }
}
