/// Decoding times for a stream joined from separately encoded pieces.
///
/// Each piece's encoder delays its decoding times by the reordering it did (B-frames), and a
/// short piece delays them less, so the pieces' own times can go backwards where they meet.
/// The times are made again for the whole stream the way encoders make them: the k-th packet
/// decodes at the presentation time of the (k - D)-th picture, D being the deepest reordering
/// of any packet, so that every packet decodes no later than it is shown and the times rise.
enum DecodingTimestamps {
    /// `presentationTimes`: of every packet in decoding order, all different.
    static func assign(_ presentationTimes: [Int64]) -> [Int64] {
        guard !presentationTimes.isEmpty else { return [] }
        let shown = presentationTimes.sorted()
        var rank: [Int64: Int] = [:]
        for (index, time) in shown.enumerated() { rank[time] = index }
        let delay = presentationTimes.enumerated().map { $0.offset - rank[$0.element]! }.max()!
        // Before the first picture is shown, steps of the first interval (at least a tick).
        let step = shown.count > 1 ? max(1, shown[1] - shown[0]) : 1
        return presentationTimes.indices.map { k in
            k >= delay ? shown[k - delay] : shown[0] - Int64(delay - k) * step
        }
    }
}
