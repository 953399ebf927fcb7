/// Where the acceptance gate looks: consecutive frame pairs (f, f + 1) inside a unit's scenes
/// that fine-tuning never sees, neither as a training frame nor as a training frame's target
/// neighbour, spread evenly over the unit. Frames the stop rule holds out count as unseen.
enum EvidenceFrames {
    /// Up to `count` pair starts; fewer when the scenes have no more unseen pairs (short scenes
    /// whose every frame is sampled), none when they have none.
    static func choose(scenes: [Scene], trainingFrames: Set<Int>, count: Int) -> [Int] {
        let starts = scenes.flatMap { scene in
            (scene.firstFrame..<scene.lastFrame).filter { !trainingFrames.contains($0) && !trainingFrames.contains($0 + 1) }
        }
        guard starts.count > count else { return starts }
        return (0..<count).map { starts[((2 * $0 + 1) * starts.count) / (2 * count)] }
    }

    /// The frames fine-tuning reads of `unit`: its sampled frames less those the stop rule holds
    /// out (as LWayAdapter splits them), and each one's neighbour when the target uses it.
    static func trainingFrames(of frames: [Int], scenes: [Scene], heldOutShare: Double, neighbours: Bool) -> Set<Int> {
        let training = HeldOutValidation.split(frames, share: heldOutShare).training
        var result = Set(training)
        guard neighbours else { return result }
        for frame in training {
            if let scene = scenes.first(where: { $0.firstFrame <= frame && frame <= $0.lastFrame }),
               let neighbour = SceneFrameSampler.neighbour(of: frame, in: scene) {
                result.insert(neighbour)
            }
        }
        return result
    }
}
