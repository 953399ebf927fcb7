import Engine
import Media
import Pipeline
import TestSupport

/// Small networks and real frames that the product's tests and the lab's tests both build on.
public enum PipelineFixtures {
    /// A reconstruction branch small enough for finite differences and quick training in tests.
    public static func tinyConfiguration(_ mapping: ReconstructionConfiguration.Mapping = .pixelUnshuffle) -> ReconstructionConfiguration {
        var configuration = ReconstructionConfiguration()
        configuration.width = 8
        configuration.embeddingSize = 16
        configuration.encoderBlocks = 1
        configuration.reconstructorBlocks = 1
        configuration.mapping = mapping
        return configuration
    }

    /// The tiny branch with the HR-aware controller head.
    public static func controllerConfiguration() -> ReconstructionConfiguration {
        var configuration = tinyConfiguration()
        configuration.controller = true
        return configuration
    }

    /// Frames of the degraded reel sample, decoded.
    public static func reelFrames(_ indices: Set<Int>) throws -> [Tensor] {
        let reader = try VideoFrameReader(path: Repository.sample("reel_old.mp4"))
        var frames: [Tensor] = []
        while let frame = try reader.next(), frame.index <= indices.max()! {
            if indices.contains(frame.index) { frames.append(Tensor(frame.image)) }
        }
        return frames
    }
}
