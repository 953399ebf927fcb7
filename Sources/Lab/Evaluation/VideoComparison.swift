import Engine
import Foundation
import Media
import Pipeline

/// Quality of each frame of a restored video against a clean reference of the same size:
/// PSNR (RGB), SSIM (luma) and LPIPS (AlexNet), NIQE of the frame alone (no reference;
/// lower is more natural), and the temporal error against the frame before: the RMS over luma
/// (8-bit levels) of (R_t - R_t-1) - (G_t - G_t-1), the flicker and shimmer a restore adds or
/// leaves. Both files are decoded in step, one frame at a time, so memory does not grow with length.
public enum VideoComparison {
    public struct FrameQuality: Codable, Sendable {
        public var frame: Int
        public var psnr: Double
        public var ssim: Double
        public var lpips: Double
        public var niqe: Double
        /// nil where the frame before was not measured (the first frame).
        public var temporalError: Double?
    }

    public struct Summary: Codable, Sendable {
        public var frames: Int
        public var psnr: Double
        public var ssim: Double
        public var lpips: Double
        public var niqe: Double
        /// Mean temporal error within the frames summarised (their first frame's, which looks
        /// across a cut when they are a scene, left out); nil when none was measured.
        public var temporalError: Double?

        /// Means over `qualities`.
        public init(_ qualities: ArraySlice<FrameQuality>) {
            temporalError = Self.mean(qualities.dropFirst().compactMap(\.temporalError))
            frames = qualities.count
            let count = Double(max(1, qualities.count))
            psnr = qualities.reduce(0) { $0 + $1.psnr } / count
            ssim = qualities.reduce(0) { $0 + $1.ssim } / count
            lpips = qualities.reduce(0) { $0 + $1.lpips } / count
            niqe = qualities.reduce(0) { $0 + $1.niqe } / count
        }

        /// Means of several summaries (each counted once, whatever its length).
        public init(meanOf summaries: [Summary]) {
            temporalError = Self.mean(summaries.compactMap(\.temporalError))
            frames = summaries.reduce(0) { $0 + $1.frames }
            let count = Double(max(1, summaries.count))
            psnr = summaries.reduce(0) { $0 + $1.psnr } / count
            ssim = summaries.reduce(0) { $0 + $1.ssim } / count
            lpips = summaries.reduce(0) { $0 + $1.lpips } / count
            niqe = summaries.reduce(0) { $0 + $1.niqe } / count
        }

        private static func mean(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
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
        var previous: (restored: [Float], clean: [Float])?
        while let restored = try candidateFrames.next() {
            guard let clean = try referenceFrames.next() else {
                throw MediaError(reference, "has fewer frames than \(candidate) (\(qualities.count))")
            }
            guard restored.image.width == clean.image.width, restored.image.height == clean.image.height else {
                throw MediaError(candidate, "frames are \(restored.image.width)x\(restored.image.height), the reference's \(clean.image.width)x\(clean.image.height)")
            }
            var measured = try quality(of: Tensor(restored.image), frame: restored.index, reference: Tensor(clean.image),
                                       lpips: lpips, niqe: niqe)
            let luma = (restored: Self.luma(restored.image), clean: Self.luma(clean.image))
            measured.temporalError = previous.map { Self.temporalError(luma, previous: $0) }
            previous = luma
            qualities.append(measured)
        }
        if try referenceFrames.next() != nil { throw MediaError(reference, "has more frames than \(candidate) (\(qualities.count))") }
        return qualities
    }

    /// BT.601 luma in 8-bit levels.
    static func luma(_ image: RGBImage) -> [Float] {
        let plane = image.width * image.height
        return (0..<plane).map { 255 * (0.299 * image.pixels[$0] + 0.587 * image.pixels[plane + $0] + 0.114 * image.pixels[2 * plane + $0]) }
    }

    static func temporalError(_ current: (restored: [Float], clean: [Float]), previous: (restored: [Float], clean: [Float])) -> Double {
        var sum = 0.0
        for i in current.restored.indices {
            let difference = (current.restored[i] - previous.restored[i]) - (current.clean[i] - previous.clean[i])
            sum += Double(difference * difference)
        }
        return (sum / Double(max(1, current.restored.count))).squareRoot()
    }
}
