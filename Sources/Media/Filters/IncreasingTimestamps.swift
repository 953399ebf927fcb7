/// Makes presentation timestamps usable by an encoder: a missing one follows its predecessor by
/// one frame interval, and one that does not rise (damaged streams repeat some) is moved one
/// tick past its predecessor.
struct IncreasingTimestamps {
    /// Ticks of one frame interval, for frames that carry no timestamp.
    let frameInterval: Int64
    private var last = Int64.min

    init(frameInterval: Int64) {
        self.frameInterval = frameInterval
    }

    mutating func next(_ timestamp: Int64) -> Int64 {
        var pts = timestamp
        if pts == noPTS { pts = last == Int64.min ? 0 : last + frameInterval }
        if pts <= last { pts = last + 1 }
        last = pts
        return pts
    }
}
