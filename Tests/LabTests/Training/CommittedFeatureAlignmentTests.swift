import Engine
import Foundation
@testable import Lab
import Media
@testable import Pipeline
import XCTest

/// The regulariser committed in weights/ (scripts/train-far.sh) on held-out photographs it
/// never saw: its loss is lower on clean patches than on the same patches degraded, which is
/// what makes it a measure of how natural an SR output looks.
final class CommittedFeatureAlignmentTests: XCTestCase {
    static let patchCount = 32

    /// Each degradation of a batch of clean patches.
    static let degradations: [(name: String, apply: @Sendable (Tensor) throws -> Tensor)] = [
        ("gaussian blur sigma 1.5", { clean in
            let kernel = BlurKernel.gaussian(sigmaX: 1.5, sigmaY: 1.5, angle: 0), size = GaussianSupport.side(sigma: 1.5)
            return KernelFilter.apply(kernel.weights(size: size), size: size, to: clean)
        }),
        ("gaussian noise sigma 15/255", { clean in
            var generator = SeededGenerator(seed: 21)
            return Noise.gaussian(sigma: 15, grey: false).apply(to: clean, using: &generator)
        }),
        ("JPEG quality 20", { clean in
            Tensor(stacking: try (0..<clean.shape.batch).map { Tensor(try JPEGRoundTrip.apply(RGBImage(clean, item: $0), quality: 20)) })
        }),
        ("bicubic x4 down and up", { clean in
            let shape = clean.shape
            let small = Resize.apply(.bicubic, to: clean, height: shape.height / 4, width: shape.width / 4)
            let restored = Resize.apply(.bicubic, to: small, height: shape.height, width: shape.width)
            restored.clamp()
            return restored
        }),
    ]

    /// Losses of held-out patches of `size`: clean, then each degradation of the same patches.
    func measure(_ regulariser: FeatureAlignmentRegulariser, size: Int) throws -> (clean: [Double], degraded: [(name: String, losses: [Double])]) {
        let clean = FeatureAlignmentPretraining.patches(count: Self.patchCount, size: size, from: try TrainingPhotos.heldOut.get(), seed: 77)
        return (try regulariser.distances(clean), try Self.degradations.map { ($0.name, try regulariser.distances(try $0.apply(clean))) })
    }

    func testCommittedRegulariserScoresCleanPhotosBelowDegradedOnes() throws {
        let regulariser = try FeatureAlignmentRegulariser.load(from: FeatureAlignmentRegulariser.defaultPath)
        // 96: the training patch size; 192: an SR patch of adaptation (48 LR pixels x 4).
        for size in [96, 192] {
            let (clean, degraded) = try measure(regulariser, size: size)
            func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
            print(String(format: "FAR loss, %d held-out %dx%d patches: clean %.4f", Self.patchCount, size, size, mean(clean)))
            for (name, losses) in degraded {
                let higher = zip(losses, clean).filter { $0 > $1 }.count
                print(String(format: "  %@: %.4f (higher than its clean patch for %d of %d)", name, mean(losses), higher, clean.count))
                XCTAssertGreaterThan(mean(losses), mean(clean), "\(size) px, \(name)")
            }
        }
    }
}
