import Foundation

/// A damaged stretch of a film (bytes overwritten in an archive copy, a bad sector): which frames
/// it touched and how many pictures it lost. FilmSR restores such a film as decoded and says
/// where the damage is, by frame range and time, rather than refusing the whole film.
public struct DecodingDamage: Codable, Equatable, Sendable {
    /// Frames decoded with errors, or shown in place of pictures lost just before them.
    public var frames: [Int]
    /// Pictures the decoder could not decode at all (the frame before each is shown longer, so
    /// the sound stays in sync).
    public var lostPictures: Int

    public init(frames: [Int], lostPictures: Int) {
        self.frames = frames
        self.lostPictures = lostPictures
    }

    /// Consecutive damaged frames as ranges: [57...59, 61...61].
    public var ranges: [ClosedRange<Int>] {
        frames.sorted().reduce(into: []) { ranges, frame in
            if let last = ranges.last, last.upperBound + 1 == frame {
                ranges[ranges.count - 1] = last.lowerBound...frame
            } else {
                ranges.append(frame...frame)
            }
        }
    }

    /// One line for a restorer: "frames 57-61 (2.38-2.58 s) decoded with errors or shown in place
    /// of 4 lost pictures"; `times` gives a frame's presentation time and end in seconds.
    public func summary(times: (Int) -> (start: Double, end: Double)?) -> String {
        let stretches = ranges.map { range in
            let frames = range.count == 1 ? "frame \(range.lowerBound)" : "frames \(range.lowerBound)-\(range.upperBound)"
            guard let start = times(range.lowerBound)?.start, let end = times(range.upperBound)?.end else { return frames }
            return frames + String(format: " (%.2f-%.2f s)", start, end)
        }
        let lost = lostPictures == 0 ? "" : " or shown in place of \(lostPictures) lost picture\(lostPictures == 1 ? "" : "s")"
        return "damaged: " + (stretches.isEmpty ? "no frame" : stretches.joined(separator: ", ")) + " decoded with errors" + lost
    }
}
