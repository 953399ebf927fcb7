import Engine
import Foundation
import Media

/// Quality of each frame of a restored video against a clean reference of the same size:
/// PSNR (RGB), SSIM (luma) and LPIPS (AlexNet), and NIQE of the frame alone (no reference;
/// lower is more natural). Both files are decoded in step, one frame at
/// a time, so memory does not grow with length.
public enum VideoComparison {
    public struct FrameQuality: Codable, Sendable {
        public var frame: Int
        public var psnr: Double
        public var ssim: Double
        public var lpips: Double
        public var niqe: Double
    }

    public struct Summary: Codable, Sendable {
        public var frames: Int
        public var psnr: Double
        public var ssim: Double
        public var lpips: Double
        public var niqe: Double

        /// Means over `qualities`.
        public init(_ qualities: ArraySlice<FrameQuality>) {
            frames = qualities.count
            let count = Double(max(1, qualities.count))
            psnr = qualities.reduce(0) { $0 + $1.psnr } / count
            ssim = qualities.reduce(0) { $0 + $1.ssim } / count
            lpips = qualities.reduce(0) { $0 + $1.lpips } / count
            niqe = qualities.reduce(0) { $0 + $1.niqe } / count
        }

        /// Means of several summaries (each counted once, whatever its length).
        public init(meanOf summaries: [Summary]) {
            frames = summaries.reduce(0) { $0 + $1.frames }
            let count = Double(max(1, summaries.count))
            psnr = summaries.reduce(0) { $0 + $1.psnr } / count
            ssim = summaries.reduce(0) { $0 + $1.ssim } / count
            lpips = summaries.reduce(0) { $0 + $1.lpips } / count
            niqe = summaries.reduce(0) { $0 + $1.niqe } / count
        }
    }

    /// The quality of one restored picture against its reference; NIQE is 0 without `niqe`
    /// (the slowest measure, which callers may leave out and must then not report).
    public static func quality(of output: Tensor, frame: Int, reference target: Tensor, lpips: LPIPS, niqe: NIQE?) throws -> FrameQuality {
        FrameQuality(frame: frame, psnr: Metrics.psnr(output, target), ssim: Metrics.ssim(output, target),
                     lpips: try lpips.distances(output, target)[0], niqe: try niqe?.score(output) ?? 0)
    }

    public static func compare(_ candidate: String, reference: String, lpips: LPIPS, niqe: NIQE?) throws -> [FrameQuality] {
        let candidateFrames = try VideoFrameReader(path: candidate), referenceFrames = try VideoFrameReader(path: reference)
        var qualities: [FrameQuality] = []
        while let restored = try candidateFrames.next() {
            guard let clean = try referenceFrames.next() else {
                throw MediaError(reference, "has fewer frames than \(candidate) (\(qualities.count))")
            }
            guard restored.image.width == clean.image.width, restored.image.height == clean.image.height else {
                throw MediaError(candidate, "frames are \(restored.image.width)x\(restored.image.height), the reference's \(clean.image.width)x\(clean.image.height)")
            }
            qualities.append(try quality(of: Tensor(restored.image), frame: restored.index, reference: Tensor(clean.image),
                                         lpips: lpips, niqe: niqe))
        }
        if try referenceFrames.next() != nil { throw MediaError(reference, "has more frames than \(candidate) (\(qualities.count))") }
        return qualities
    }
}
