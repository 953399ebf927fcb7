import Foundation

/// Writes chosen frames of a video as PNG files, for inspection.
public enum FrameDumper {
    /// A frame written: its index in the (filtered) video and its file.
    public struct Written: Sendable, Equatable {
        public var index: Int
        public var path: String
    }

    /// Decodes `path` (through `filters`, when given) up to the last chosen frame and writes each
    /// as `DIR/frame_NNNNNN.png` (the frame's index). Returns the frames written, in frame order.
    @discardableResult
    public static func dump(_ path: String, frames selectors: [FrameSelector], into directory: String,
                            bitsPerComponent: Int = 8, filters: FilterPlan? = nil) throws -> [Written] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let reader = try VideoFrameReader(path: path, filters: filters)
        var remaining = selectors
        var written: [Written] = []
        var lastFrame: DecodedFrame?
        while !remaining.isEmpty, let frame = try reader.next() {
            lastFrame = frame
            let matched = remaining.filter { $0.matches(frame) }
            guard !matched.isEmpty else { continue }
            remaining.removeAll { $0.matches(frame) }
            let file = (directory as NSString).appendingPathComponent(String(format: "frame_%06d.png", frame.index))
            try PNGWriter.write(frame.image, to: file, bitsPerComponent: bitsPerComponent)
            written.append(Written(index: frame.index, path: file))
        }
        if let missing = remaining.first {
            let extent = lastFrame.map { "it has \($0.index + 1) frames, \(String(format: "%.3f", $0.time + $0.seconds)) s" } ?? "it has no frames"
            throw MediaError(path, "no \(missing): \(extent)")
        }
        return written
    }
}
