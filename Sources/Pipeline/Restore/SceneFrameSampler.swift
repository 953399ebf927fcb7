import Engine
import Foundation
import Media

/// Chooses the frames each scene adapts on: `count` spread evenly over the scene, a candidate
/// skipped when it nearly repeats the last frame kept (freeze frames, pulldown duplicates add
/// nothing), and writes them into the work folder as 16-bit PNG (exact for 8- and 10-bit
/// sources) so that memory stays bounded however long the film, and a resumed job skips this pass.
struct SceneFrameSampler {
    let count: Int
    /// Mean absolute difference (0-1 scale) under which a frame counts as a repeat.
    var repeatThreshold: Float = 0.002

    /// Twice `count` candidate indices spread over the scene, in order (all frames of a short scene).
    func candidates(_ scene: Scene) -> [Int] {
        let wanted = 2 * count
        guard scene.frameCount > wanted else { return Array(scene.firstFrame...scene.lastFrame) }
        return (0..<wanted).map { scene.firstFrame + ($0 * scene.frameCount + scene.frameCount / 2) / wanted }
    }

    /// One decoding pass; returns the kept frame indices of each scene, and writes each kept
    /// frame to `file(index)`.
    func sample(_ path: String, scenes: [Scene], file: (Int) -> String) throws -> [[Int]] {
        var wanted: [Int: Int] = [:]  // frame index -> scene
        for scene in scenes { for index in candidates(scene) { wanted[index] = scene.index } }
        var kept = [[Int]](repeating: [], count: scenes.count)
        var lastKept: [Int: RGBImage] = [:]
        let reader = try VideoFrameReader(path: path)
        let lastWanted = wanted.keys.max() ?? -1
        while let frame = try reader.next(), frame.index <= lastWanted {
            guard let scene = wanted[frame.index], kept[scene].count < count else { continue }
            if let previous = lastKept[scene], Self.meanAbsoluteDifference(previous, frame.image) < repeatThreshold { continue }
            try PNGWriter.write(frame.image, to: file(frame.index), bitsPerComponent: 16)
            kept[scene].append(frame.index)
            lastKept = [scene: frame.image]  // scenes are contiguous: only the current one is needed
        }
        return kept
    }

    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Float {
        var sum: Float = 0
        for i in 0..<a.pixels.count { sum += abs(a.pixels[i] - b.pixels[i]) }
        return sum / Float(max(1, a.pixels.count))
    }
}
