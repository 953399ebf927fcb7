import Engine

/// Where a patch of one frame lies in the next frame of the same shot, and how much brighter
/// that frame is: the best whole-pixel shift within `radius` pixels and a gain.
///
/// Film grain, dust and codec noise are new in every frame while the picture moves little, so
/// an aligned patch of the neighbour shows the same content with independent noise. Matching
/// is done on luma blurred by a 3x3 box, so that the grain itself does not decide the shift;
/// the gain (ratio of mean luma) takes out frame-to-frame flicker.
struct NeighbourAlignment: Equatable {
    var top: Int
    var left: Int
    var gain: Float

    static func find(patchOf frame: Tensor, top: Int, left: Int, size: Int, in neighbour: Tensor, radius: Int = 3) -> NeighbourAlignment {
        let reference = smoothedLuma(frame, top: top, left: left, size: size)
        let referenceMean = mean(reference)
        var best = NeighbourAlignment(top: top, left: left, gain: 1)
        var bestDifference = Float.infinity
        let height = neighbour.shape.height, width = neighbour.shape.width
        for dy in -radius...radius {
            for dx in -radius...radius {
                let y = top + dy, x = left + dx
                guard y >= 0, x >= 0, y + size <= height, x + size <= width else { continue }
                let candidate = smoothedLuma(neighbour, top: y, left: x, size: size)
                let candidateMean = mean(candidate)
                let gain = candidateMean > 1e-4 ? referenceMean / candidateMean : 1
                var difference: Float = 0
                for i in 0..<reference.count { difference += abs(reference[i] - gain * candidate[i]) }
                // Ties go to the smaller shift: a flat patch stays where it is.
                if difference < bestDifference - 1e-6 * Float(reference.count) {
                    bestDifference = difference
                    best = NeighbourAlignment(top: y, left: x, gain: gain)
                }
            }
        }
        return best
    }

    /// Luma of a size x size patch of item 0, each pixel the mean of its 3x3 neighbourhood
    /// (clamped at the frame's edges).
    private static func smoothedLuma(_ frame: Tensor, top: Int, left: Int, size: Int) -> [Float] {
        let height = frame.shape.height, width = frame.shape.width
        let red = frame.plane(0, 0), green = frame.plane(0, 1), blue = frame.plane(0, 2)
        var result = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                var sum: Float = 0
                for v in -1...1 {
                    let row = min(max(top + y + v, 0), height - 1) * width
                    for u in -1...1 {
                        let i = row + min(max(left + x + u, 0), width - 1)
                        sum += 0.299 * red[i] + 0.587 * green[i] + 0.114 * blue[i]
                    }
                }
                result[y * size + x] = sum / 9
            }
        }
        return result
    }

    private static func mean(_ values: [Float]) -> Float { values.reduce(0, +) / Float(max(1, values.count)) }
}
