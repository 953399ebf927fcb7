import Foundation

/// Writes chosen frames of a video as PNG files, for inspection.
public enum FrameDumper {
    /// Decodes `path` up to the last chosen frame and writes each as `DIR/frame_NNNNNN.png`
    /// (the frame's index). Returns the files written, in frame order.
    @discardableResult
    public static func dump(_ path: String, frames selectors: [FrameSelector], into directory: String,
                            bitsPerComponent: Int = 8) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let reader = try VideoFrameReader(path: path)
        var remaining = selectors
        var written: [String] = []
        var lastFrame: DecodedFrame?
        while !remaining.isEmpty, let frame = try reader.next() {
            lastFrame = frame
            let matched = remaining.filter { $0.matches(frame) }
            guard !matched.isEmpty else { continue }
            remaining.removeAll { $0.matches(frame) }
            let file = (directory as NSString).appendingPathComponent(String(format: "frame_%06d.png", frame.index))
            try PNGWriter.write(frame.image, to: file, bitsPerComponent: bitsPerComponent)
            written.append(file)
        }
        if let missing = remaining.first {
            let extent = lastFrame.map { "it has \($0.index + 1) frames, \(String(format: "%.3f", $0.time + $0.seconds)) s" } ?? "it has no frames"
            throw MediaError(path, "no \(missing): \(extent)")
        }
        return written
    }
}
