import Engine
import Foundation
import Media

/// Chooses the frames each scene adapts on: the scene is cut into `count` equal slots and each
/// slot gives one frame, the one at its middle or, when that nearly repeats the last frame kept
/// (freeze frames, pulldown duplicates add nothing), the next one in the slot that does not.
/// The frames go into the work folder as 16-bit PNG (exact for 8- and 10-bit sources) so that
/// memory stays bounded however long the film, and a resumed job skips this pass. With
/// `neighbours`, each kept frame's neighbour (see `neighbour(of:in:)`) is written too.
package struct SceneFrameSampler {
    let count: Int
    var neighbours = false
    /// Mean absolute difference (0-1 scale) under which a frame counts as a repeat.
    var repeatThreshold: Float = 0.002

    package init(count: Int, neighbours: Bool = false) {
        self.count = count
        self.neighbours = neighbours
    }

    /// The slot of `frame` in `scene` if the frame may represent it: slots hold count frames
    /// (every frame of a shorter scene); sampling starts at a slot's middle.
    func slot(of frame: Int, in scene: Scene) -> Int? {
        let slots = min(count, scene.frameCount), length = scene.frameCount
        let offset = frame - scene.firstFrame
        let slot = offset * slots / length
        let start = (slot * length + slots - 1) / slots, end = ((slot + 1) * length + slots - 1) / slots
        return offset >= start + (end - start - 1) / 2 ? slot : nil
    }

    /// The frame whose grain a sampled frame is compared with: the next one in its scene, or
    /// the one before for a scene's last frame; nil for a one-frame scene.
    static func neighbour(of frame: Int, in scene: Scene) -> Int? {
        if frame < scene.lastFrame { return frame + 1 }
        return frame > scene.firstFrame ? frame - 1 : nil
    }

    /// Sampled frame `index` of `scene` as adaptation reads it from `file`, with its neighbour
    /// when the target needs one.
    package static func adaptationFrame(_ index: Int, in scene: Scene, target: AdaptationTarget,
                                file: (Int) -> String) throws -> AdaptationFrame {
        let neighbour = target == .neighbour ? neighbour(of: index, in: scene) : nil
        return AdaptationFrame(try Tensor(pictureAt: file(index)), neighbour: try neighbour.map { try Tensor(pictureAt: file($0)) })
    }

    /// One decoding pass; returns the kept frame indices of each scene, and writes each kept
    /// frame (and its neighbour) to `file(index)`.
    package func sample(_ path: String, filters: FilterPlan? = nil, scenes: [Scene], file: (Int) -> String) throws -> [[Int]] {
        var kept = [[Int]](repeating: [], count: scenes.count)
        var filledSlots = Set<Int>(), sceneIndex = 0
        var lastKept: RGBImage?
        var neighbourWanted: Int?
        var previous: DecodedFrame?
        let reader = try VideoFrameReader(path: path, filters: filters)
        while let frame = try reader.next(), frame.index <= scenes.last!.lastFrame + 1 {
            defer { previous = frame }
            if frame.index == neighbourWanted {
                try PNGWriter.write(frame.image, to: file(frame.index), bitsPerComponent: 16)
            }
            while sceneIndex < scenes.count, frame.index > scenes[sceneIndex].lastFrame {
                sceneIndex += 1
                filledSlots = []
                lastKept = nil
            }
            guard sceneIndex < scenes.count else { continue }
            let scene = scenes[sceneIndex]
            guard let slot = slot(of: frame.index, in: scene), !filledSlots.contains(slot) else { continue }
            if let lastKept, Self.meanAbsoluteDifference(lastKept, frame.image) < repeatThreshold { continue }
            try PNGWriter.write(frame.image, to: file(frame.index), bitsPerComponent: 16)
            kept[sceneIndex].append(frame.index)
            filledSlots.insert(slot)
            lastKept = frame.image
            guard neighbours, let neighbour = Self.neighbour(of: frame.index, in: scene) else { continue }
            if neighbour > frame.index {
                neighbourWanted = neighbour
            } else if let previous, previous.index == neighbour {
                try PNGWriter.write(previous.image, to: file(neighbour), bitsPerComponent: 16)
            }
        }
        return kept
    }

    /// One decoding pass that writes the frames `wanted` (those not already in place) to `file(index)`.
    static func extract(_ path: String, filters: FilterPlan? = nil, frames wanted: Set<Int>, file: (Int) -> String) throws {
        let missing = wanted.filter { !FileManager.default.fileExists(atPath: file($0)) }
        guard let last = missing.max() else { return }
        let reader = try VideoFrameReader(path: path, filters: filters)
        while let frame = try reader.next(), frame.index <= last {
            if missing.contains(frame.index) { try PNGWriter.write(frame.image, to: file(frame.index), bitsPerComponent: 16) }
        }
    }

    static func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Float {
        var sum: Float = 0
        for i in 0..<a.pixels.count { sum += abs(a.pixels[i] - b.pixels[i]) }
        return sum / Float(max(1, a.pixels.count))
    }
}
