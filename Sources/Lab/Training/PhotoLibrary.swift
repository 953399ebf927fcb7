import Engine
import Foundation
import Media
import Pipeline

/// Natural photographs used as HR ground truth, split into training and held-out sets.
///
/// scripts/fetch-photos.sh fills the folder (photos, split and licences in scripts/photos.tsv).
/// Every photo is held in memory as 8-bit planar RGB, a quarter of float's size (the PNGs are
/// 8-bit, so nothing is lost); a crop is converted to float when it is taken.
public struct PhotoLibrary: Sendable {
    public enum Split: String, Sendable {
        case training, heldOut

        /// The sub-folder the set-up script writes this split into.
        var folderName: String { self == .training ? "training" : "heldout" }
    }

    /// One photo: planar RGB bytes (R plane, G plane, B plane).
    private struct Photo: Sendable {
        var name: String
        var width: Int
        var height: Int
        var bytes: [UInt8]
    }

    private let photos: [Photo]

    /// $FILMSR_PHOTOS, else assets/photos (see AssetLocation).
    public static var defaultDirectory: String {
        AssetLocation.find("assets/photos", environmentVariable: "FILMSR_PHOTOS")
    }

    /// Loads every PNG of the split's folder, in name order.
    public static func load(split: Split, directory: String = PhotoLibrary.defaultDirectory) throws -> PhotoLibrary {
        let folder = (directory as NSString).appendingPathComponent(split.folderName)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".png") }.sorted()
        guard !files.isEmpty else {
            throw MediaError(folder, "no photos here; run scripts/setup.sh (or scripts/fetch-photos.sh), or set FILMSR_PHOTOS")
        }
        let photos = try files.map { file -> Photo in
            let path = (folder as NSString).appendingPathComponent(file)
            guard let image = try VideoFrameReader(path: path).next()?.image else { throw MediaError(path, "has no picture") }
            return Photo(name: String(file.dropLast(4)), width: image.width, height: image.height,
                         bytes: image.pixels.map { UInt8((min(1, max(0, $0)) * 255).rounded()) })
        }
        return PhotoLibrary(photos: photos)
    }

    public var names: [String] { photos.map(\.name) }
    public var count: Int { photos.count }

    /// A size x size RGB crop (1 x 3 x size x size, values in [0,1]) of a photo chosen by the
    /// generator, at a random position. Photos are drawn uniformly, not by area, so that the
    /// few large ones do not crowd out the rest; only photos at least `size` on both sides qualify.
    public func randomCrop(size: Int, using generator: inout SeededGenerator) -> Tensor {
        let fitting = photos.filter { $0.width >= size && $0.height >= size }
        precondition(!fitting.isEmpty, "no photo is \(size)x\(size) or larger")
        let photo = fitting.randomElement(using: &generator)!
        let top = Int.random(in: 0...(photo.height - size), using: &generator)
        let left = Int.random(in: 0...(photo.width - size), using: &generator)
        let crop = Tensor(Shape(1, 3, size, size))
        photo.bytes.withUnsafeBufferPointer { bytes in
            for c in 0..<3 {
                let plane = crop.plane(0, c)
                for y in 0..<size {
                    let row = c * photo.width * photo.height + (top + y) * photo.width + left
                    for x in 0..<size { plane[y * size + x] = Float(bytes[row + x]) / 255 }
                }
            }
        }
        return crop
    }
}
