import Engine
@testable import Lab
import Pipeline

/// The installed training photos (scripts/fetch-photos.sh), loaded once for every test that
/// needs real HR data. A missing folder fails those tests with the library's own message.
enum TrainingPhotos {
    static let training = Result { try PhotoLibrary.load(split: .training) }
    static let heldOut = Result { try PhotoLibrary.load(split: .heldOut) }

    /// A size x size crop of a held-out photo, the same for a seed.
    static func crop(size: Int, seed: UInt64) throws -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return try heldOut.get().randomCrop(size: size, using: &generator)
    }
}
